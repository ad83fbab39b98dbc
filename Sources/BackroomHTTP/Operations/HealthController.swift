import BackroomStorage
import Hummingbird

/// `GET /health`: whether this server and its database answer, for load balancers and operators.
struct HealthController {
    let storage: any Database
    let settings: ServerSettings

    struct Report: ResponseEncodable {
        struct Database: Codable {
            let kind: String
            let version: String?
        }

        let status: String
        let role: String
        let serverKey: String
        let version: String
        let database: Database
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health") { _, context in
            let version: String?
            do {
                version = try await storage.databaseVersion()
            } catch {
                context.logger.warning("health check: database unreachable", metadata: ["error": "\(error)"])
                version = nil
            }
            let report = Report(
                status: version == nil ? "database unreachable" : "ok",
                role: settings.role.rawValue,
                serverKey: settings.serverKey.value,
                version: ServerSettings.backroomVersion,
                database: .init(kind: storage.kind.rawValue, version: version)
            )
            return EditedResponse(status: version == nil ? .serviceUnavailable : .ok, response: report)
        }
    }
}
