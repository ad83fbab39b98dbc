import BackroomCore
import BackroomStorage
import Hummingbird

/// What load balancers, systemd and operators ask of a server: `GET /livez` (the process
/// answers, whatever else is wrong), `GET /readyz` (it can do its work: database reachable,
/// migrations applied, a store loaded from central; 503 with the reason otherwise) and
/// `GET /health` (role, key, software and database, for people).
struct HealthController {
    let storage: any Database & SyncStateStore
    let settings: ServerSettings
    let readiness: StorageReadiness

    struct Report: ResponseEncodable {
        struct Database: Codable {
            let kind: String
            let version: String?
        }

        let status: String
        let role: String
        let serverKey: String
        let version: String
        let syncProtocol: Int
        let database: Database
    }

    struct Verdict: ResponseEncodable {
        let status: String
        let reason: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("livez") { _, _ in Verdict(status: "alive", reason: nil) }
        router.get("readyz") { _, context in
            let reason = await unreadiness(context)
            return EditedResponse(
                status: reason == nil ? .ok : .serviceUnavailable,
                response: Verdict(status: reason == nil ? "ready" : "not ready", reason: reason)
            )
        }
        router.get("health") { _, context in
            let version = await databaseVersion(context)
            let report = Report(
                status: version == nil ? "database unreachable" : "ok",
                role: settings.role.rawValue,
                serverKey: settings.serverKey.value,
                version: PeerSoftware.current.version,
                syncProtocol: PeerSoftware.current.syncProtocol,
                database: .init(kind: storage.kind.rawValue, version: version)
            )
            return EditedResponse(status: version == nil ? .serviceUnavailable : .ok, response: report)
        }
    }

    private func databaseVersion(_ context: AppRequestContext) async -> String? {
        do {
            return try await storage.databaseVersion()
        } catch {
            context.logger.warning("health check: database unreachable", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Why the server cannot do its work now; nil when it can.
    private func unreadiness(_ context: AppRequestContext) async -> String? {
        guard readiness.isOpen else { return "the database's migrations are being applied" }
        guard await databaseVersion(context) != nil else { return "the database cannot be reached" }
        guard settings.role == .store else { return nil }
        let loaded: String?
        do {
            loaded = try await storage.syncState(.linkBootstrapped)
        } catch {
            return "the database cannot be reached"
        }
        return (loaded ?? "").isEmpty ? "the store has not loaded its shops, stock and users from central yet" : nil
    }
}
