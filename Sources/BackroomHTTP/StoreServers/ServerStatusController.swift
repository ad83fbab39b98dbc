import BackroomCore
import BackroomStorage
import BackroomSync
import Hummingbird

/// The store server status service, at the original path and at Backroom's own alias, and the
/// original's ping service, on both roles. No authentication, like the original: a status is
/// not a secret (query-string credentials of the original's centrals are ignored).
struct ServerStatusController {
    static let bodyLimit = 64 * 1024

    let storage: any PreferenceStore & ServerRegistryStore
    let identity: PeerIdentity
    let prober: ServerStatusProber
    let clock: BackroomClock

    private var recorder: PeerStatusRecorder { PeerStatusRecorder(storage: storage, own: identity.key, clock: clock) }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group()
            .add(
                middleware: UnavailableDatabaseMiddleware { _ in
                    StatusRefusal("the registry's database cannot be reached at the moment", status: .serviceUnavailable).answer
                }
            )
            .add(
                middleware: BodyLimitMiddleware(limit: Self.bodyLimit) { limit in
                    StatusRefusal("the request body must be at most \(limit) bytes of JSON", status: .contentTooLarge)
                }
            )
            .add(middleware: PeerStatusMiddleware(recorder: recorder))
        group.post(RouterPath(StatusServicePaths.status), use: answer)
        group.post(RouterPath(StatusServicePaths.backroomStatus), use: answer)
        group.post(RouterPath(StatusServicePaths.ping), use: answerPing)
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await Self.body(of: request)
        guard case .string(let asked) = body["serverKey"] else {
            throw StatusRefusal("the request body must be a JSON object with a serverKey string")
        }
        if let caller = Self.callerOnlyInBody(body, request) { await recorder.record(caller.key, caller.status, logger: context.logger) }
        guard let key = try? ServerKey(asked) else {
            return Self.answer(key: asked, status: .offline, error: StatusLookup.unknownKeyError(asked))
        }
        let askedAt = clock.now
        let maximumAge = Preference.serverStatusMaxAge.effectiveValue(stored: try await storage.storedPreference(.serverStatusMaxAge))
        let entry = key == identity.key ? nil : try await storage.server(key: key)?.statusEntry
        switch StatusLookup.decide(asked: key, own: identity.key, entry: entry, maximumAgeMillis: maximumAge, now: clock.nowMillis()) {
        case .own:
            return Self.answer(key: asked, status: identity.status, error: nil)
        case .unknown:
            return Self.answer(key: asked, status: .offline, error: StatusLookup.unknownKeyError(asked))
        case .stored(let status, let error):
            return Self.answer(key: asked, status: status, error: error)
        case .probe(let url):
            let outcome = await prober.probe(key, at: url, askedAt: askedAt)
            return Self.answer(key: asked, status: outcome.status, error: outcome.error)
        }
    }

    /// A ping: the caller says who it is and how it is; the answer is this server's own status.
    @Sendable func answerPing(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await Self.body(of: request)
        guard let caller = PeerBody.caller(in: body) else {
            throw StatusRefusal("the request body must be a JSON object with a mobileServerKey string and a serverStatus of ON, OFF, TON or TOFF")
        }
        await recorder.record(
            caller.key,
            caller.status,
            statusKnown: Self.callerOnlyInBody(body, request) == nil,
            pinged: true,
            logger: context.logger
        )
        return Self.response(.ok, ["serverStatus": .string(identity.status.rawValue)])
    }

    /// The body, which `BodyLimitMiddleware` has read already.
    /// The caller the body names, unless the headers named it already with the same status
    /// (a Backroom server sends both; `PeerStatusMiddleware` has recorded the headers).
    private static func callerOnlyInBody(_ body: JSONValue, _ request: Request) -> (key: ServerKey, status: ServerStatus)? {
        guard let caller = PeerBody.caller(in: body) else { return nil }
        if let named = PeerIdentity.caller(in: request.headers), named == caller { return nil }
        return caller
    }

    private static func body(of request: Request) async throws(StatusRefusal) -> JSONValue {
        do {
            let body = try await request.body.collect(upTo: bodyLimit)
            return try read(Array(body.readableBytesView))
        } catch let error as JSONReader.SyntaxError {
            throw StatusRefusal("the request body is \(error)")
        } catch {
            throw StatusRefusal("the request body could not be read")
        }
    }

    /// The body as JSON; also the original page's own example, `"serverKey": "VALLBLANCA"`
    /// without the braces, which clients copied from it may send.
    private static func read(_ body: [UInt8]) throws(JSONReader.SyntaxError) -> JSONValue {
        do {
            return try JSONReader.read(body)
        } catch {
            guard
                body.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") })
                    == UInt8(ascii: "\""),
                let wrapped = try? JSONReader.read(Array("{".utf8) + body + Array("}".utf8))
            else { throw error }
            return wrapped
        }
    }

    private static func answer(key: String, status: ServerStatus, error: String?) -> Response {
        var fields: [String: JSONValue] = ["serverKey": .string(key), "serverStatus": .string(status.rawValue)]
        if let error { fields["error"] = .string(error) }
        return response(.ok, fields)
    }

    /// `{"response": {…}}`, the services' envelope.
    static func response(_ status: HTTPResponse.Status, _ fields: [String: JSONValue]) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(of: .object(["response": .object(fields)]))))
        )
    }
}

/// A request the status and ping services cannot read: the original's shape, `OFF` with the reason.
struct StatusRefusal: HTTPResponseError {
    let error: String
    let status: HTTPResponse.Status

    init(_ error: String, status: HTTPResponse.Status = .badRequest) {
        self.error = error
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        answer
    }

    var answer: Response {
        ServerStatusController.response(status, ["serverStatus": .string(ServerStatus.offline.rawValue), "error": .string(error)])
    }
}
