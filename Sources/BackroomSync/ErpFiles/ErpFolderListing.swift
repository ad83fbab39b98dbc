import BackroomCore
import Foundation

/// What an ERP files connection's folder holds, for operators: what waits in `in/`, what was
/// imported (`done/`) or refused (`failed/`, each with its `.err` reason), what was exported to
/// `out/`, and how far the export has gone.
public struct ErpFolderListing: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public let name: String
        public let size: Int64
        public let modified: Int64
        /// For a refused file: what its `.err` says.
        public let error: String?
    }

    public let folder: String
    public let waiting: [File]
    public let done: [File]
    public let failed: [File]
    public let exported: [File]
    /// How many files the export has written, and the position it goes on from.
    public let exportFiles: Int
    public let exportCursor: String

    init(folder: ErpFolder, export: ExportState) {
        self.folder = folder.root.path
        waiting = Self.files(in: folder.inbox)
        done = Self.files(in: folder.done)
        failed = Self.files(in: folder.failed).filter { !$0.name.hasSuffix(".err") }.map { file in
            let report = folder.failed.appendingPathComponent(file.name + ".err")
            let error = (try? ErpFolder.contents(of: report)).map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return File(name: file.name, size: file.size, modified: file.modified, error: error ?? "")
        }
        exported = Self.files(in: folder.outbox)
        exportFiles = export.files
        exportCursor = export.cursor.encoded
    }

    /// The folder's files by name; hidden and temporary ones are someone's work in progress.
    private static func files(in directory: URL) -> [File] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".tmp") }.sorted().compactMap { name in
            let url = directory.appendingPathComponent(name)
            guard ErpFolder.isRegularFile(url),
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]),
                values.isRegularFile == true
            else { return nil }
            return File(
                name: name,
                size: Int64(values.fileSize ?? 0),
                modified: Int64((values.contentModificationDate?.timeIntervalSince1970 ?? 0) * 1000),
                error: nil
            )
        }
    }
}

extension SyncEngine {
    /// The folder of an ERP files connection; nil for an unknown id or another kind of connection.
    /// Throws when the folder is not one the connector may use (outside the ERP root).
    public func erpFolder(connection id: Int64) async throws -> ErpFolderListing? {
        guard let connection = try await connection(id: id), connection.kind == .erpFiles,
            let connector = connectors[.erpFiles] as? ErpFilesConnector
        else { return nil }
        let export = ExportState(encoded: try await storage.syncState(.erpExport(connection: id)) ?? "")
        return ErpFolderListing(folder: try connector.folder(of: connection), export: export)
    }
}
