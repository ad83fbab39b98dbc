import ArgumentParser
import BackroomCore
import BackroomStorage
import Foundation

struct ConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection", abstract: "Manage the sync engine's connections (ERP folders; store links are added by themselves).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a connection: 'erp-files --folder PATH' exchanges files with the ERP in PATH/in, done, failed and out."
        )

        @Argument(help: "The connector: erp-files.")
        var connector: String

        @Option(help: "erp-files: the folder shared with the ERP; its in/, done/, failed/ and out/ are made where missing.")
        var folder: String?

        @Option(help: "A display name (default: ERP).")
        var name: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard ConnectorKind(name: connector) == .erpFiles else {
                throw ConfigurationError("connector must be erp-files, got '\(connector)' (store links are added from the server registry)")
            }
            guard let folder, !folder.isEmpty else { throw ConfigurationError("an erp-files connection needs --folder PATH") }
            let path = URL(fileURLWithPath: folder).standardizedFileURL.path
            let connection = NewSyncConnection(kind: .erpFiles, name: name ?? "ERP", uuid: UUID().uuidString.lowercased(), config: ["folder": path])
            let added = try await database.withStorage { storage in try await storage.addSyncConnection(connection) }
            print("connection \(added.id) added: \(added.name) (\(path))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the connections, removed ones included: id, connector, name, state, target, and how the last visit went."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connections = try await database.withStorage { storage in try await storage.syncConnections(includeDeleted: true) }
            for connection in connections {
                let state = connection.deleted ? "removed" : connection.active ? "active" : "inactive"
                let outcome = connection.lastError.map { "last visit failed: \($0)" } ?? connection.lastSuccessAt.map { "last visit \(LocalTimestamp.format(millis: $0, offsetSeconds: 0)) UTC" }
                print(([String(connection.id), connection.kind.name, connection.name, state, connection.target] + (outcome.map { [$0] } ?? [])).joined(separator: "\t"))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a connection; it keeps its id and shows as deleted.")

        @Argument(help: "The connection's id (ErpConnectionId).")
        var id: Int64

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard try await database.withStorage({ storage in try await storage.removeSyncConnection(id: id) }) else {
                throw ConfigurationError("there is no connection \(id)")
            }
            print("connection \(id) removed")
        }
    }
}
