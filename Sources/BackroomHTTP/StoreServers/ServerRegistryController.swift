import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomSync
import Hummingbird

/// `/api/v1/servers` and `/api/v1/servers/{key}`: the registry as this server knows it, for
/// operators (right `admin`): list, add (a store's sync token shown once), change name, URL and
/// shops, remove, and `POST …/{key}/probe` to ask a server its status now. On central, each store
/// also shows what waits to sync each way: `toStore` counted from the cursor of the store's last
/// pull, `fromStore` as the store last said.
struct ServerRegistryController {
    let storage: any ServerRegistryStore
    let registry: RegistryReader
    let prober: ServerStatusProber
    let auditor: Auditor
    let secrets: SecretBox
    /// Makes the sync engine's connections follow the registry.
    let linkRegistry: @Sendable () async throws -> Void

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("servers", use: list)
        group.post("servers", use: add)
        group.get("servers/:key", use: read)
        group.patch("servers/:key", use: change)
        group.delete("servers/:key", use: remove)
        group.post("servers/:key/probe", use: probe)
        group.post("servers/:key/token", use: rotateToken)
    }

    /// A store's new sync token, shown once. The store collects it at its next pull and the old
    /// one stops working at its first request with the new; with `{"force": true}` the old one
    /// stops at once (the store must then be started with the new one).
    @Sendable func rotateToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let server = try await stored(try Self.key(context))
        let body = try await JSONRequestBody.readObject(request, context: context)
        let force: Bool
        switch body["force"] {
        case nil, .null?: force = false
        case .bool(let flag)?: force = flag
        default: throw EnvelopeError.field("force", "force must be true or false")
        }
        guard server.registration.type == .store else { throw EnvelopeError.field("key", "only a store has a sync token") }
        let token = SecretToken.generate()
        let sealed = force ? nil : try secrets.seal(token)
        guard try await storage.rotateServerToken(key: server.registration.key, fingerprint: SecretToken.fingerprint(token), sealed: sealed) else {
            throw Self.unknown(server.registration.key.value)
        }
        try await auditor.record(
            context,
            .api,
            action: "server.token",
            target: "server \(server.registration.key)",
            detail: .object(["force": .bool(force)])
        )
        var answer = try await listed(try await stored(server.registration.key))
        answer.token = token
        var response = Envelope.success(answer).response()
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let registration = try await JSONRequestBody.read(request, context: context, as: ServerRequest.registration)
        let token = registration.type == .store ? SecretToken.generate() : nil
        do {
            try await storage.registerServer(registration, tokenFingerprint: token.map(SecretToken.fingerprint))
        } catch StorageError.alreadyExists {
            throw EnvelopeError.coded(.conflict, code: "409", "The server key \(registration.key) is taken")
        }
        try await linkRegistry()
        try await auditor.record(context, .api, action: "server.create", target: "server \(registration.key)", detail: Self.detail(registration))
        var response = Envelope.success(
            RegisteredServer(server: try await stored(registration.key), status: .offline, waiting: nil, token: token),
            status: .created
        ).response()
        response.headers[.location] = "/api/v1/servers/\(registration.key)"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Envelope<RegisteredServer> {
        _ = try context.requireAny(of: [.admin])
        return .success(try await listed(try await stored(try Self.key(context))))
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Envelope<RegisteredServer> {
        _ = try context.requireAny(of: [.admin])
        let key = try Self.key(context)
        let asked = try await JSONRequestBody.read(request, context: context, as: ServerRequest.change)
        let changed = asked.applied(to: try await stored(key).registration)
        guard try await storage.updateServer(changed) else { throw Self.unknown(key.value) }
        try await auditor.record(context, .api, action: "server.change", target: "server \(key)", detail: Self.detail(changed))
        return .success(try await listed(try await stored(key)))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireAny(of: [.admin])
        let key = try Self.key(context)
        guard key != registry.identity.key else { throw EnvelopeError.field("key", "a server cannot remove itself from its registry") }
        guard try await storage.removeServer(key: key) else { throw Self.unknown(key.value) }
        try await linkRegistry()
        try await auditor.record(context, .api, action: "server.delete", target: "server \(key)")
        return Response(status: .noContent)
    }

    /// Asks the server its status now, as the status service would, and answers the row after it.
    @Sendable func probe(_ request: Request, context: AppRequestContext) async throws -> Envelope<RegisteredServer> {
        _ = try context.requireAny(of: [.admin])
        let server = try await stored(try Self.key(context))
        guard server.registration.key != registry.identity.key else { return .success(try await listed(server)) }
        _ = await prober.probe(server.registration.key, at: server.registration.url)
        try await auditor.record(context, .api, action: "server.probe", target: "server \(server.registration.key)")
        return .success(try await listed(try await stored(server.registration.key)))
    }

    private func listed(_ server: StoredServer) async throws -> RegisteredServer {
        try await registry.row(server)
    }

    private func stored(_ key: ServerKey) async throws -> StoredServer {
        guard let server = try await storage.server(key: key) else { throw Self.unknown(key.value) }
        return server
    }

    private static func key(_ context: AppRequestContext) throws -> ServerKey {
        let text = context.parameters.get("key") ?? ""
        guard let key = try? ServerKey(text) else { throw unknown(text) }
        return key
    }

    private static func unknown(_ key: String) -> EnvelopeError {
        EnvelopeError.coded(.notFound, code: "404", "There is no server \(key)")
    }

    private static func detail(_ server: ServerRegistration) -> JSONValue {
        .object([
            "name": .string(server.name), "type": .string(server.type.rawValue), "url": server.url.map(JSONValue.string) ?? .null,
            "shops": .array(server.shops.map { .integer(Int64($0)) }),
        ])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[RegisteredServer]> {
        _ = try context.requireAny(of: [.admin])
        return .success(try await registry.rows())
    }
}

/// One server of the registry on the wire; instants as ISO 8601 in UTC, absent ones `null`.
struct RegisteredServer: JSONRepresentable, Sendable {
    struct Waiting: Sendable {
        let toStore: Int
        /// Unknown until the store has called.
        let fromStore: Int64?
        /// The age of the oldest movement waiting for the store, in seconds.
        let lagSeconds: Double
        /// Away longer than movements are kept: what it missed is deleted, and it loads central's
        /// stock afresh at its next contact.
        let reloads: Bool
    }

    let server: StoredServer
    let status: ServerStatus
    let waiting: Waiting?
    /// A new store's sync token, in the answer that made it only.
    var token: String?

    var json: JSONValue {
        let registration = server.registration
        var members: [String: JSONValue] = [
            "key": .string(registration.key.value),
            "name": .string(registration.name),
            "type": .string(registration.type.rawValue),
            "url": registration.url.map(JSONValue.string) ?? .null,
            "shops": .array(registration.shops.map { .integer(Int64($0)) }),
            "status": .string(status.rawValue),
            "updated": Self.instant(server.updatedAt),
            "lastPing": Self.instant(server.lastPing),
            "offlineLog": server.offlineLog.map(JSONValue.string) ?? .null,
            "version": server.software.map { .string($0.version) } ?? .null,
            "syncProtocol": server.software.map { .integer(Int64($0.syncProtocol)) } ?? .null,
            "waiting": waiting.map {
                .object([
                    "toStore": .integer(Int64($0.toStore)), "fromStore": $0.fromStore.map(JSONValue.integer) ?? .null,
                    "lagSeconds": .number($0.lagSeconds),
                ])
            } ?? .null,
        ]
        if let token { members["token"] = .string(token) }
        return .object(members)
    }

    private static func instant(_ millis: Int64?) -> JSONValue {
        guard let millis else { return .null }
        return .string(LocalTimestamp.iso8601(millis: millis, offsetSeconds: 0))
    }
}
