import BackroomCore
import BackroomSecurity
import BackroomStorage
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// The ERP file connector. A visit imports each file waiting in `in/` whole or not at all
/// (then `done/`, or `failed/` with a `.err` beside it) and exports every movement not yet
/// exported to `out/` as JSON Lines, each exactly once across crashes and restarts.
public struct ErpFilesConnector: SyncConnector {
    /// Movements per file in `out/`.
    static let exportBatch = 1000

    private let storage: any EngineStore & ReplicationStore & SyncStateStore
    private let own: ServerKey
    private let logger: Logger
    private let clock: BackroomClock
    private let root: ErpRoot

    public init(
        storage: any EngineStore & ReplicationStore & SyncStateStore,
        own: ServerKey,
        root: ErpRoot,
        clock: BackroomClock,
        logger: Logger
    ) {
        self.storage = storage
        self.root = root
        self.clock = clock
        self.own = own
        self.logger = logger
    }

    public func visit(_ connection: SyncConnection) async throws -> VisitOutcome {
        let folder = try self.folder(of: connection)
        try folder.prepare()
        let imported = try await importWaiting(folder, connection)
        let exported = try await ErpExport(storage: storage, folder: folder, connection: connection.id, clock: clock).run()
        return VisitOutcome(changes: imported.changes + exported, problem: imported.problem)
    }

    public func test(_ connection: SyncConnection) async -> Bool {
        (try? folder(of: connection))?.isUsable ?? false
    }

    public func problem(with connection: SyncConnection) async -> ConnectorSettingProblem? {
        guard case .erpFiles(let settings) = try? connection.settings else { return .missing(field: "folder") }
        let path = settings.folder
        var isDirectory: ObjCBool = false
        guard path.hasPrefix("/") else { return .refused(field: "folder", reason: "must be an absolute path") }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .refused(field: "folder", reason: "\(path) is not an existing folder")
        }
        if let outside = root.problem(with: path) { return .refused(field: "folder", reason: outside) }
        // Tried, not asked: permission bits say nothing of read-only mounts, nor to root.
        let probe = URL(fileURLWithPath: path).appendingPathComponent(".backroom-probe-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            return .refused(field: "folder", reason: "\(path) is not writable")
        }
        try? FileManager.default.removeItem(at: probe)
        return nil
    }

    public func resync(_ connection: SyncConnection, ids: [Int64]) async throws -> ErpText {
        try await ErpExport(storage: storage, folder: try folder(of: connection), connection: connection.id, clock: clock).startOver(ids: ids)
        return ids.isEmpty ? .resyncFilesAll : .resyncFilesSome(ids.count)
    }

    /// The export reads every movement, and has them as far as its last file.
    public func consumer(of connection: SyncConnection, under policy: RetentionPolicy, at now: Int64) async throws -> MovementRetention.Consumer? {
        let state = ExportState(encoded: try await storage.syncState(.erpExport(connection: connection.id)) ?? "")
        return MovementRetention.Consumer(position: state.cursor, scope: .allBut(nil))
    }

    /// The connection's folder, checked against the root at every use: a folder saved before
    /// the root was set, or a link changed since, is not used.
    func folder(of connection: SyncConnection) throws -> ErpFolder {
        guard case .erpFiles(let settings) = try connection.settings else {
            throw ConfigurationError("connection \(connection.name) names no folder")
        }
        if let outside = root.problem(with: settings.folder) { throw ConfigurationError(outside) }
        return ErpFolder(path: settings.folder)
    }

    // MARK: import

    private func importWaiting(_ folder: ErpFolder, _ connection: SyncConnection) async throws -> VisitOutcome {
        var changes = 0
        var problems: [String] = []
        // A shutdown stops between files: each is imported whole, the rest wait in in/.
        for file in try folder.waiting() where !Task.isShuttingDownGracefully {
            let bytes = try ErpFolder.contents(of: file)
            // Named by content too: a later file of the same name is another import, and the
            // same file seen again after a crash (imported, not yet moved) is not applied twice.
            let key = "\(file.lastPathComponent):\(Digest.sha256Hex(bytes))"
            switch ErpFileParser.parse(fileName: file.lastPathComponent, contents: bytes) {
            case .failure(let problem):
                problems.append(try refuse(file, problem, folder))
            case .success(let content):
                do {
                    if try await storage.importErpFile(content, connection: connection.id, key: key, origin: own, at: clock.nowMillis()) {
                        changes += content.changes
                        Counter(label: "backroom_erp_files_total", dimensions: [("outcome", "imported")]).increment()
                        logger.info("ERP file imported", metadata: ["file": "\(file.lastPathComponent)", "changes": "\(content.changes)"])
                    }
                    try folder.move(file, to: folder.done)
                } catch StorageError.unknownShop(let shop) {
                    problems.append(try refuse(file, ErpFileProblem(line: content.shops[shop], "shop \(shop) does not exist"), folder))
                }
            }
        }
        return VisitOutcome(changes: changes, problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// Moves the file to `failed/` with `NAME.err` beside it saying which line is wrong and why.
    private func refuse(_ file: URL, _ problem: ErpFileProblem, _ folder: ErpFolder) throws -> String {
        Counter(label: "backroom_erp_files_total", dimensions: [("outcome", "failed")]).increment()
        let moved = try folder.move(file, to: folder.failed)
        let report = moved.appendingPathExtension("err")
        let temporary = try folder.writeTemporary(Array("\(problem)\n".utf8), for: report)
        try folder.rename(temporary, to: report)
        logger.warning("ERP file refused", metadata: ["file": "\(file.lastPathComponent)", "problem": "\(problem)"])
        return "\(file.lastPathComponent): \(problem)"
    }
}
