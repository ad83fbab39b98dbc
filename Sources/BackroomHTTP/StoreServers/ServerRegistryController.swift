import BackroomCore
import BackroomStorage
import Hummingbird

/// `GET /api/v1/servers`: the registry as this server knows it, for operators (right `admin`).
struct ServerRegistryController {
    let storage: any BackroomStorage

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("servers", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[RegisteredServer]> {
        _ = try context.requireAny(of: [.admin])
        return .success(try await storage.servers().map(RegisteredServer.init))
    }
}

/// One server of the registry on the wire; instants as ISO 8601 in UTC, absent ones `null`.
struct RegisteredServer: JSONRepresentable, Sendable {
    let server: StoredServer

    var json: JSONValue {
        let registration = server.registration
        return .object([
            "key": .string(registration.key.value),
            "name": .string(registration.name),
            "type": .string(registration.type.rawValue),
            "url": registration.url.map(JSONValue.string) ?? .null,
            "shops": .array(registration.shops.map { .integer(Int64($0)) }),
            "status": .string(server.status.rawValue),
            "updated": Self.instant(server.updatedAt),
            "lastPing": Self.instant(server.lastPing),
            "offlineLog": server.offlineLog.map(JSONValue.string) ?? .null,
        ])
    }

    private static func instant(_ millis: Int64?) -> JSONValue {
        guard let millis else { return .null }
        return .string(LocalTimestamp.format(millis: millis, offsetSeconds: 0).replacingOccurrences(of: " ", with: "T") + "Z")
    }
}
