import BackroomCore
import BackroomStorage
import Hummingbird

/// The store server status service, at the original path and at Backroom's own alias, on both
/// roles. No authentication, like the original: a status is not a secret.
struct ServerStatusController {
    static let originalPath =
        "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller.RetrieveMobileServerStatus"
    static let backroomPath = "/api/v1/servers/status"
    static let bodyLimit = 64 * 1024

    let storage: any BackroomStorage
    let identity: PeerIdentity
    let prober: ServerStatusProber

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group().add(middleware: PeerStatusMiddleware(storage: storage, own: identity.key))
        group.post(RouterPath(Self.originalPath), use: answer)
        group.post(RouterPath(Self.backroomPath), use: answer)
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let asked: String
        do {
            let body = try await request.body.collect(upTo: Self.bodyLimit)
            guard case .string(let key) = try Self.read(Array(body.readableBytesView))["serverKey"] else {
                return Self.refusal("the request body must be a JSON object with a serverKey string")
            }
            asked = key
        } catch let error as JSONReader.SyntaxError {
            return Self.refusal("the request body is \(error)")
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return Self.refusal("the request body must be at most \(Self.bodyLimit) bytes of JSON", status: .contentTooLarge)
        }
        guard let key = try? ServerKey(asked) else {
            return Self.answer(key: asked, status: .offline, error: StatusLookup.unknownKeyError(asked))
        }
        let maximumAge = Preference.serverStatusMaxAge.effectiveValue(stored: try await storage.storedPreference(.serverStatusMaxAge))
        let entry = key == identity.key ? nil : try await storage.server(key: key)?.statusEntry
        switch StatusLookup.decide(asked: key, own: identity.key, entry: entry, maximumAgeMillis: maximumAge, now: Clock.nowMillis()) {
        case .own:
            return Self.answer(key: asked, status: identity.status, error: nil)
        case .unknown:
            return Self.answer(key: asked, status: .offline, error: StatusLookup.unknownKeyError(asked))
        case .stored(let status, let error):
            return Self.answer(key: asked, status: status, error: error)
        case .probe(let url):
            let outcome = await prober.probe(key, at: url)
            return Self.answer(key: asked, status: outcome.status, error: outcome.error)
        }
    }

    /// The body as JSON; also the original page's own example, `"serverKey": "VALLBLANCA"`
    /// without the braces, which clients copied from it may send.
    private static func read(_ body: [UInt8]) throws(JSONReader.SyntaxError) -> JSONValue {
        do {
            return try JSONReader.read(body)
        } catch {
            guard body.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) == UInt8(ascii: "\""),
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

    /// A body the service cannot read: the original's shape, `OFF` with the reason.
    private static func refusal(_ error: String, status: HTTPResponse.Status = .badRequest) -> Response {
        response(status, ["serverStatus": .string(ServerStatus.offline.rawValue), "error": .string(error)])
    }

    private static func response(_ status: HTTPResponse.Status, _ fields: [String: JSONValue]) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(of: .object(["response": .object(fields)]))))
        )
    }
}
