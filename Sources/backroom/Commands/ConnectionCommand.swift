import ArgumentParser
import BackroomCore
import BackroomStorage
import BackroomSync
import Foundation

struct ConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection",
        abstract: "Manage the sync engine's connections (ERP folders, HTTP endpoints; store links are added by themselves).",
        discussion: "The ErpSync agent's SaveConnection, GetAllConnections and DeleteConnection show and change the same connections.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a connection: '--type erp-files --folder PATH' or '--type http --url URL'.",
            discussion: """
                erp-files exchanges files with the ERP in PATH/in, done, failed and out. http delivers every movement once to URL \
                in batches with an Idempotency-Key; its bearer token is read from --token-file or BACKROOM_CONNECTION_TOKEN, \
                stored sealed, and never shown again.
                """
        )

        @Argument(help: "The connector, as --type says it (kept for scripts that name it first).")
        var connector: String?

        @Option(help: "The connector: erp-files or http.")
        var type: String?

        @Option(help: "erp-files: an existing, writable folder shared with the ERP; its in/, done/, failed/ and out/ are made where missing.")
        var folder: String?

        @Option(help: "http: the ERP's endpoint (http or https); an HTTP connector for it is made unless one exists.")
        var url: String?

        @Option(help: "http: a file holding the bearer token the ERP expects (env BACKROOM_CONNECTION_TOKEN).")
        var tokenFile: String?

        @Option(help: "http: movements per request, 1 to 10000 (default 1000).")
        var batchSize: Int?

        @Option(help: "http: how long to wait for the ERP's answer, 1 to 600 seconds (default 30).")
        var timeoutSeconds: Int?

        @Option(help: "A display name (default: ERP for erp-files, the connector's name for http).")
        var name: String?

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var exchange: ExchangeOptions

        func run() async throws {
            guard let kindName = type ?? connector, let kind = ConnectorKind(name: kindName), kind == .erpFiles || kind == .http else {
                throw ConfigurationError(
                    "--type must be erp-files or http, got '\(type ?? connector ?? "")' (store links are added from the server registry)"
                )
            }
            let token =
                try tokenFile.map { try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
                ?? EnvironmentFallback.value(nil, "BACKROOM_CONNECTION_TOKEN")
            let root = exchange.root(for: try database.location())
            let added = try await database.withEngine(root: root, allowed: try exchange.allowed()) { engine, storage in
                var config: [String: String] = [:]
                let connectorId: Int64
                switch kind {
                case .http:
                    guard let url, !url.isEmpty else { throw ConfigurationError("an http connection needs --url URL") }
                    connectorId = try await Self.connector(for: url, engine)
                    config["token"] = token
                    config["batchSize"] = batchSize.map(String.init)
                    config["timeoutSeconds"] = timeoutSeconds.map(String.init)
                default:
                    guard let folder, !folder.isEmpty else { throw ConfigurationError("an erp-files connection needs --folder PATH") }
                    connectorId = ConnectorKind.erpFiles.builtInId!
                    config["folder"] = URL(fileURLWithPath: folder).standardizedFileURL.path
                }
                let added = try await engine.save(.init(id: 0, connectorId: connectorId, name: name, active: nil, config: config))
                if let added {
                    try await CommandAudit.record(
                        storage,
                        action: "connection.create",
                        target: "connection \(added.id)",
                        detail: .object([
                            "connector": .integer(connectorId), "name": .string(added.name), "config": .object(config.mapValues(JSONValue.string)),
                        ])
                    )
                }
                return added
            }
            guard let added else { throw ConfigurationError("the connection was not added") }
            print("connection \(added.id) added: \(added.name) (\(added.kind.name))")
        }

        /// The live HTTP connector for `url`, made when there is none.
        private static func connector(for url: String, _ engine: SyncEngine) async throws -> Int64 {
            if let existing = try await engine.connectors().first(where: { $0.entity?.url == url }) { return existing.id }
            let host = URLComponents(string: url)?.host ?? url
            guard let made = try await engine.saveConnectorEntity(ConnectorEntity(id: 0, name: host, url: url, deleted: false)) else {
                throw ConfigurationError("the HTTP connector for \(url) was not made")
            }
            return made.id
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the connections, deleted ones included: id, connector, name, state, target, priority, and how the last visit went."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (connections, entities) = try await database.withStorage { storage in
                (try await storage.syncConnections(includeDeleted: true), try await storage.connectorEntities(includeDeleted: true))
            }
            for connection in connections {
                let state = connection.deleted ? "deleted" : connection.active ? "active" : "inactive"
                let target = connection.kind == .http ? entities.first { $0.id == connection.connectorId }?.url ?? "" : connection.target
                let priority = connection.priority.map { "priority \($0)" } ?? "no priority"
                let outcome =
                    connection.lastError.map { "last visit failed: \($0)" }
                    ?? connection.lastSuccessAt.map { "last visit \(LocalTimestamp.format(millis: $0, offsetSeconds: 0)) UTC" }
                print(
                    ([String(connection.id), connection.kind.name, connection.name, state, target, priority] + (outcome.map { [$0] } ?? [])).joined(
                        separator: "\t"
                    )
                )
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a connection; it keeps its id, is no longer visited, and shows as deleted.")

        @Argument(help: "The connection's id (ErpConnectionId).")
        var id: Int64

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let deleted = try await database.withEngine { engine, storage in
                let deleted = try await engine.delete(connection: id)
                if deleted { try await CommandAudit.record(storage, action: "connection.delete", target: "connection \(id)") }
                return deleted
            }
            guard deleted else {
                throw ConfigurationError("there is no connection \(id)")
            }
            print("connection \(id) deleted")
        }
    }
}

extension DatabaseOptions {
    /// The sync engine over the database, as the agent changes connections through it, with the
    /// connectors whose settings the command line makes; its refusals come out in English.
    func withEngine<Result: Sendable>(
        root: ErpRoot = ErpRoot(nil),
        allowed: ConnectorAllowList = .none,
        _ body: @Sendable (SyncEngine, any BackroomStorage) async throws -> Result
    ) async throws -> Result {
        let secrets = try secrets()
        return try await withStorage { storage in
            let logger = CommandLogger.make(level: .error)
            let engine = SyncEngine(
                storage: storage,
                readiness: StorageReadiness(),
                role: .central,
                own: .central,
                connectors: [
                    .erpFiles: ErpFilesConnector(storage: storage, own: .central, root: root, clock: .system, logger: logger),
                    .http: HTTPConnector(storage: storage, clock: .system, logger: logger, allowed: allowed),
                    // A command asks no store anything.
                    .storeLink: StoreLinkConnector(storage: storage, clock: .system) { key, _ in (.offline, "\(key) is not asked") },
                ],
                secrets: secrets,
                clock: .system,
                logger: logger
            )
            do {
                return try await body(engine, storage)
            } catch let refusal as SyncEngine.Refusal {
                throw ConfigurationError(refusal.text.text(in: .en, culture: ErpCulture(language: nil, culture: nil, timeZone: .gmt)))
            }
        }
    }
}
