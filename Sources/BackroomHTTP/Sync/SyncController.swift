import BackroomCore
import BackroomGzip
import BackroomSecurity
import BackroomStorage
import BackroomSync
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle

/// Central's end of the store ↔ central link (sync-engine.md, "Transport"): stores call it
/// with the token `backroom server add` printed for them, and always start the exchange, so a
/// store behind NAT needs no inbound connection.
struct SyncController {
    static let batchLimit = 1000
    /// How long a sync request waits for the database before it is answered 503 (`DatabaseDeadline`).
    static let databaseDeadline = Duration.seconds(30)

    let storage: any IdentityStore & PreferenceStore & StockStore & ReservationStore & ReplicationStore & SyncStateStore & ServerRegistryStore
    let own: ServerKey
    let clock: BackroomClock
    let bodyLimit: Int
    /// Opens a store's next sync token to hand it over at its pull.
    let secrets: SecretBox
    /// Wakes a parked pull when something for its store is committed.
    let changes: ChangeFeed
    /// Read once for every store's pull, until users or preferences change.
    let replicatedCache: ChangeCache<Replicated>
    /// Each store's resync mark and next token, read again only after a `*` change.
    let marksCache: KeyedChangeCache<ServerKey, PullMarks>

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("sync/v1")
            .add(middleware: SoftwareHeadersMiddleware())
            .add(
                middleware: UnavailableDatabaseMiddleware { _ in
                    // A store moves on to its next central URL at a 503: one on another connection may answer.
                    SyncAnswer.refusal(.serviceUnavailable, "central's database cannot be reached at the moment").answer
                }
            )
            .add(
                middleware: BodyLimitMiddleware(limit: bodyLimit) { limit in
                    SyncAnswer.refusal(.contentTooLarge, "the body must be at most \(limit) bytes as sent")
                }
            )
        group.get("bootstrap", use: bootstrap)
        group.post("push", use: push)
        group.get("pull", use: pull)
        group.get("own", use: own)
    }

    @Sendable func bootstrap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try await caller(request, context: context)
        if let waiting = SyncAnswer.waiting(in: request.headers) {
            try await storage.setSyncState(.peerWaiting(store.registration.key), String(waiting))
        }
        let shops = store.registration.shops
        let replicated = try await replicated()
        let snapshot = try await storage.stockSnapshot(shops: shops)
        if !Self.loadsSnapshots(request), !(try await storage.movementHorizons().allSatisfy { $0.value == 0 }) {
            throw Self.historyDeleted(store.registration.key)
        }
        let bootstrap = StoreBootstrap(
            central: own,
            store: store.registration,
            shops: try await storage.shops(shops),
            stock: snapshot.stock,
            heads: snapshot.heads,
            users: replicated.users,
            preferences: replicated.preferences
        )
        return try SyncAnswer.json(compressedFor: request, bootstrap.json)
    }

    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try await caller(request, context: context)
        let body = try await SyncAnswer.body(of: request, limit: context.maxUploadSize)
        guard let value = try? JSONReader.read(body), let movements = ReplicatedMovement.parseList(value),
            movements.count <= Self.batchLimit
        else {
            throw SyncAnswer.refusal(
                .badRequest,
                "the body must be {\"movements\": [...]} with at most \(Self.batchLimit) movements, each with origin, sequence, shop, id, reason, "
                    + "createdAt and a qty from \(StockLevel.movementBounds.lowerBound) to \(StockLevel.movementBounds.upperBound)"
            )
        }
        guard movements.allSatisfy({ $0.origin == store.registration.key }) else {
            throw SyncAnswer.refusal(.badRequest, "a store pushes only movements of its own origin \(store.registration.key)")
        }
        let shops = Set(store.registration.shops)
        if let foreign = movements.first(where: { !shops.contains($0.shop) }) {
            throw SyncAnswer.refusal(
                .badRequest,
                "a store pushes only movements of its own shops; \(foreign.shop) is not one of \(store.registration.key)'s"
            )
        }
        let key = store.registration.key
        // A store says what it believes central holds of it already; a central restored from an
        // older copy holds less, and says so, so that the store sends the rest again first.
        if let stated = value["after"] {
            guard case .integer(let after) = stated, after >= 0 else {
                throw SyncAnswer.refusal(.badRequest, "after must be the sequence number the batch follows, from 0")
            }
            let held = try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) { [storage] in try await storage.highestSequence(of: key) }
            guard held >= after else {
                throw SyncAnswer.refusal(.conflict, "central holds \(key)'s movements only through \(held), not \(after): send from \(held + 1)")
            }
        }
        // What waits on the store's side is noted with its movements: one commit, not two.
        let waiting = SyncAnswer.waiting(in: request.headers).map { (key: SyncStateKey.peerWaiting(key), value: String($0)) }
        let (applied, held) = try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) { [storage] in
            do {
                let applied = try await storage.applyReplicated(movements, recording: waiting, figures: nil)
                return (applied, try await storage.highestSequence(of: key))
            } catch StorageError.stockOutOfBounds {
                throw SyncAnswer.refusal(.badRequest, StorageError.stockOutOfBounds.description)
            }
        }
        Counter(label: "backroom_sync_applied_movements_total", dimensions: [("store", key.value)]).increment(by: applied)
        return SyncAnswer.json(.object(["applied": .integer(Int64(applied)), "highWater": .integer(held)]))
    }

    /// The store's own movements central holds past `after`, oldest first, and the highest it
    /// holds: what a store compares with its database before it pushes (`OriginRecovery`).
    @Sendable func own(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try await caller(request, context: context)
        let parameters = request.uri.queryParameters
        guard let after = Int64(parameters.get("after") ?? ""), after >= 0 else {
            throw SyncAnswer.refusal(.badRequest, "after must be a sequence number from 0")
        }
        let limit = parameters.get("limit").map { Int($0) ?? 0 } ?? Self.batchLimit
        guard (1...Self.batchLimit).contains(limit) else {
            throw SyncAnswer.refusal(.badRequest, "limit must be from 1 to \(Self.batchLimit)")
        }
        let key = store.registration.key
        let (held, movements) = try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) { [storage] in
            let held = try await storage.highestSequence(of: key)
            return (held, try await storage.ownMovements(origin: key, after: after, limit: limit))
        }
        return try SyncAnswer.json(compressedFor: request, .object(["highWater": .integer(held), "movements": .array(movements.map(\.json))]))
    }

    /// Answers at once when there is news for the store (`LongPoll`); else parks for up to
    /// `wait` seconds until a change concerning its shops is committed, by this process or
    /// another on the same database, or the server shuts down.
    @Sendable func pull(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try await caller(request, context: context)
        let parameters = request.uri.queryParameters
        guard let cursor = SyncCursor(encoded: parameters.get("after") ?? "") else {
            throw SyncAnswer.refusal(.badRequest, "after must be the cursor a previous pull answered")
        }
        let limit = parameters.get("limit").map { Int($0) ?? 0 } ?? Self.batchLimit
        guard (1...Self.batchLimit).contains(limit) else {
            throw SyncAnswer.refusal(.badRequest, "limit must be from 1 to \(Self.batchLimit)")
        }
        guard let wait = LongPoll.waitSeconds(parsing: parameters.get("wait")) else {
            throw SyncAnswer.refusal(.badRequest, "wait must be whole seconds from 0 to \(LongPoll.longestWaitSeconds)")
        }
        // Where the store has pulled from and what waits on its side, in one statement.
        var noted = [SyncStateKey.peerPulled(store.registration.key): cursor.encoded]
        if let waiting = SyncAnswer.waiting(in: request.headers) { noted[.peerWaiting(store.registration.key)] = String(waiting) }
        try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) { [storage, noted] in try await storage.setSyncStates(noted) }
        // Watching before the first look: a change committed while looking wakes the wait.
        let watch = changes.watch(shops: Set(store.registration.shops), apartFrom: store.registration.key)
        let deadline = clock.now.advanced(by: .seconds(wait))
        // How far central holds the store's own movements is read once, as the answer leaves.
        func respond(_ answer: PullAnswer) async throws -> Response {
            let held = try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) { [storage] in
                try await storage.highestSequence(of: store.registration.key)
            }
            return try SyncAnswer.json(compressedFor: request, answer.json(held: held))
        }
        var answer = try await pullAnswer(for: store, after: cursor, limit: limit, request: request, logger: context.logger)
        while true {
            let remaining = clock.now.duration(to: deadline)
            if answer.news(seen: parameters.get("seen")) || remaining <= .zero || Task.isShuttingDownGracefully {
                return try await respond(answer)
            }
            let woken = await cancelWhenGracefulShutdown { await watch.wait(upTo: remaining, on: clock) }
            // Nothing heard while changes are heard: the answer already read still holds, and
            // reading it again is most of what an idle store costs central. (Reservations that
            // expired meanwhile show at the store's next pull, whose `seen` then differs.)
            if !woken && changes.isLive { return try await respond(answer) }
            answer = try await pullAnswer(for: store, after: cursor, limit: limit, request: request, logger: context.logger)
        }
    }

    /// Whether the calling store loads a stock snapshot (sync protocol 3 on); one before sums
    /// movements from the start, which is only right while none were deleted.
    private static func loadsSnapshots(_ request: Request) -> Bool {
        (SoftwareHeadersMiddleware.software(in: request.headers)?.syncProtocol ?? PeerSoftware.unnamedProtocol) >= PeerSoftware.snapshotProtocol
    }

    private static func historyDeleted(_ store: ServerKey) -> SyncAnswer.Refusal {
        SyncAnswer.refusal(
            .conflict,
            "retention has deleted movements \(store) would need, and its software cannot load stock as it stands: "
                + "update the store to sync protocol \(PeerSoftware.snapshotProtocol) or later, and it loads afresh"
        )
    }

    /// A pull's answer: the page, and the state beside it that `seen` compares.
    struct PullAnswer {
        let page: SyncPage
        let others: [String: JSONValue]
        let state: String

        func news(seen: String?) -> Bool {
            LongPoll.isNews(movements: page.movements.count, more: page.more, state: state, seen: seen)
        }

        /// `held`, how far central holds the store's own movements, is outside `state`: the
        /// store's own pushes move it and are no news to it.
        func json(held: Int64) -> JSONValue {
            var answer = others
            answer["movements"] = .array(page.movements.map(\.json))
            answer["cursor"] = .string(page.cursor.encoded)
            answer["more"] = .bool(page.more)
            answer["state"] = .string(state)
            answer["held"] = .integer(held)
            return .object(answer)
        }
    }

    private func pullAnswer(
        for store: StoredServer,
        after cursor: SyncCursor,
        limit: Int,
        request: Request,
        logger: Logger
    ) async throws -> PullAnswer {
        try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) {
            let read = try await storage.pullRead(
                forShops: store.registration.shops,
                except: store.registration.key,
                after: cursor,
                limit: limit,
                at: clock.nowMillis()
            )
            let page = read.page
            var others: [String: JSONValue] = [:]
            let marks = try await marks(of: store.registration.key)
            if let resync = marks.resync { others["resync"] = .string(resync) }
            if MovementRetention.isBehind(cursor, horizons: read.horizons, except: store.registration.key) {
                // What the store missed is deleted: it loads afresh, as after a `ForceResync`.
                guard Self.loadsSnapshots(request) else { throw Self.historyDeleted(store.registration.key) }
                let resync = String(clock.nowMillis())
                try await storage.setSyncState(.peerResync(store.registration.key), resync)
                others["resync"] = .string(resync)
                logger.notice(
                    "a store was away longer than movements are kept: it loads afresh",
                    metadata: ["store": "\(store.registration.key)", "cursor": "\(cursor.encoded)"]
                )
            }
            if let sealed = marks.sealedNextToken { others["nextToken"] = .string(try secrets.open(sealed)) }
            let restores = try await replicated().restores
            if !restores.isEmpty { others["restores"] = .array(restores.map(\.json)) }
            if !page.more {
                let shops = store.registration.shops
                let replicated = try await replicated()
                others["figures"] =
                    CentralFigures(
                        shops: shops,
                        reserved: read.held.reserved,
                        blocked: read.held.blocked,
                        users: replicated.users,
                        preferences: replicated.preferences
                    ).json
            }
            return PullAnswer(
                page: page,
                others: others,
                state: LongPoll.state(of: JSONWriter.bytes(of: .object(others)))
            )
        }
    }

    /// What a pull tells a store beyond movements and figures: start over (`resync`), and the
    /// token to use from now on.
    struct PullMarks: Sendable {
        let resync: String?
        let sealedNextToken: String?
    }

    private func marks(of store: ServerKey) async throws -> PullMarks {
        try await marksCache.value(for: store) { [storage] in
            PullMarks(resync: try await storage.syncState(.peerResync(store)), sealedNextToken: try await storage.nextServerTokens()[store])
        }
    }

    /// What every store receives alike: each user with rights, shops and password hash, as
    /// stores keep them, and every preference as in force here.
    struct Replicated: Sendable {
        let users: [StoreBootstrap.User]
        let preferences: [Preference: Int]
        /// This central's restores from copies, which its stores square their picture with.
        let restores: [RestoreMark]
    }

    private func replicated() async throws -> Replicated {
        try await replicatedCache.value { [storage] in
            let users = try await storage.allUsers().map { user in
                StoreBootstrap.User(
                    name: user.principal.name,
                    passwordHash: user.passwordHash,
                    rights: user.principal.rights.sorted { $0.rawValue < $1.rawValue },
                    shops: user.principal.shops.sorted()
                )
            }
            let stored = try await storage.storedPreferences()
            return Replicated(
                users: users,
                preferences: Dictionary(uniqueKeysWithValues: Preference.allCases.map { ($0, $0.effectiveValue(stored: stored[$0])) }),
                restores: RestoreMark.parseList(stored: try await storage.syncState(.restores))
            )
        }
    }

    /// The registered store whose token the request carries (401 otherwise); notes, once it is
    /// known who calls, the status it sends along. How many movements it says wait on its side
    /// each handler writes with its own writes (`SyncAnswer.waiting`).
    private func caller(_ request: Request, context: AppRequestContext) async throws -> StoredServer {
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") else {
            throw SyncAnswer.refusal(.unauthorized, "a store authenticates with Authorization: Bearer <its token>")
        }
        let fingerprint = SecretToken.fingerprint(String(authorization.dropFirst("Bearer ".count)))
        return try await DatabaseDeadline.within(Self.databaseDeadline, on: clock) { [headers = request.headers, logger = context.logger] in
            try await identify(fingerprint: fingerprint, headers: headers, logger: logger)
        }
    }

    private func identify(fingerprint: String, headers: HTTPFields, logger: Logger) async throws -> StoredServer {
        var found = try await storage.server(tokenFingerprint: fingerprint)
        if found == nil, let promoted = try await storage.serverPromotingNextToken(fingerprint: fingerprint) {
            logger.notice("a store uses its new sync token; the old one no longer works", metadata: ["store": "\(promoted.registration.key)"])
            found = promoted
        }
        guard let store = found else { throw SyncAnswer.refusal(.unauthorized, "unknown store token") }
        let software = SoftwareHeadersMiddleware.software(in: headers)
        if let software, software != store.software {
            try await storage.recordServerSoftware(store.registration.key, software)
            logger.notice(
                "a store runs other software",
                metadata: [
                    "store": "\(store.registration.key)", "software": "\(software.description)",
                    "before": "\(store.software?.description ?? "unknown")",
                ]
            )
        }
        // The suite's rule: a store may be older than central, never newer.
        let spoken = software?.syncProtocol ?? PeerSoftware.unnamedProtocol
        guard PeerSoftware.maySync(store: spoken, central: PeerSoftware.current.syncProtocol) else {
            throw SyncAnswer.refusal(.conflict, PeerSoftware.newerThanCentral(store: spoken, central: PeerSoftware.current.syncProtocol))
        }
        // Only what the store says of itself: another key in the headers is not its to report.
        if let caller = PeerIdentity.caller(in: headers), caller.key == store.registration.key {
            let maximumAge = try await replicated().preferences[.serverStatusMaxAge] ?? Preference.serverStatusMaxAge.defaultValue
            if StatusLookup.isWorthRecording(caller.status, over: store.statusEntry, maximumAgeMillis: maximumAge, now: clock.nowMillis()) {
                await PeerStatusRecorder(storage: storage, own: own, clock: clock).record(caller.key, caller.status, logger: logger)
            }
        }
        return store
    }
}

/// The sync link's answers: plain JSON, errors as `{"error": "..."}`.
enum SyncAnswer {
    static let waitingHeader = HTTPField.Name(PeerHeaders.waiting)!

    /// How many movements the calling store says wait on its side, when it says so.
    static func waiting(in headers: HTTPFields) -> Int64? {
        guard let text = headers[waitingHeader], let waiting = Int64(text), waiting >= 0 else { return nil }
        return waiting
    }

    struct Refusal: HTTPResponseError {
        let status: HTTPResponse.Status
        let message: String

        func response(from request: Request, context: some RequestContext) throws -> Response {
            answer
        }

        var answer: Response {
            var response = SyncAnswer.json(.object(["error": .string(message)]))
            response.status = status
            if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }

    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Refusal {
        Refusal(status: status, message: message)
    }

    /// Batches compress about tenfold; a peer that accepts gzip gets them so when they are not tiny.
    static func json(compressedFor request: Request, _ value: JSONValue) throws -> Response {
        let bytes = JSONWriter.bytes(of: value)
        let accepted = request.headers[values: .acceptEncoding].contains { $0.lowercased().contains("gzip") }
        guard accepted, bytes.count > 1024 else { return json(value) }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentEncoding: "gzip"],
            body: .init(byteBuffer: ByteBuffer(bytes: try Gzip.compress(bytes)))
        )
    }

    /// The request body, decompressed when it was sent gzip-compressed; at most `limit` bytes
    /// as sent, and sixteen times that once decompressed.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        let bytes = Array(try await request.body.collect(upTo: limit).readableBytesView)
        guard let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" else { return bytes }
        guard encoding == "gzip" else { throw refusal(.unsupportedMediaType, "Content-Encoding must be gzip or identity") }
        do {
            return try Gzip.decompress(bytes, limit: limit * 16)
        } catch {
            throw refusal(.badRequest, "the gzip body cannot be read: \(error)")
        }
    }

    static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(of: value)))
        )
    }
}
