import BackroomCore
import BackroomStorage
import Foundation
import ServiceLifecycle

/// Writes movements to `out/` as numbered JSON Lines files (`movements-00000001.jsonl`, …),
/// each movement in exactly one file however the process stops. The order of steps is what
/// makes it so: the file is written under a temporary name, then the database notes the new
/// cursor together with that the file is pending, then the rename, then the note is cleared.
/// After a crash, a pending file whose temporary is still there is renamed; one whose temporary
/// is gone was renamed already; a temporary with no note is thrown away, its movements not
/// yet counted as exported.
struct ErpExport {
    let storage: any BackroomStorage
    let folder: ErpFolder
    let connection: Int64

    private var stateName: String { "erp.export.\(connection)" }

    /// Exports everything new; returns how many movements went out.
    func run() async throws -> Int {
        var state = try await recover()
        var exported = 0
        while !Task.isShuttingDownGracefully {
            let page = try await storage.movements(forShops: nil, except: nil, after: state.cursor, limit: ErpFilesConnector.exportBatch)
            if page.movements.isEmpty {
                if page.cursor != state.cursor {
                    state.cursor = page.cursor
                    try await save(state)
                }
                if !page.more { return exported }
                continue
            }
            let file = folder.outbox.appendingPathComponent(String(format: "movements-%08d.jsonl", state.files + 1))
            let lines = page.movements.flatMap { JSONWriter.bytes(of: $0.json) + [UInt8(ascii: "\n")] }
            let temporary = try folder.writeTemporary(lines, for: file)
            state = ExportState(cursor: page.cursor, files: state.files + 1, pending: file.lastPathComponent)
            try await save(state)
            try folder.rename(temporary, to: file)
            state.pending = nil
            try await save(state)
            exported += page.movements.count
        }
        return exported
    }

    /// Finishes what a stopped process left half done, and returns where to go on from.
    private func recover() async throws -> ExportState {
        var state = ExportState(encoded: try await storage.syncState(stateName) ?? "")
        if let pending = state.pending {
            let file = folder.outbox.appendingPathComponent(pending)
            let temporary = ErpFolder.temporary(for: file)
            if FileManager.default.fileExists(atPath: temporary.path) { try folder.rename(temporary, to: file) }
            state.pending = nil
            try await save(state)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.outbox.path) where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            try FileManager.default.removeItem(at: folder.outbox.appendingPathComponent(name))
        }
        return state
    }

    private func save(_ state: ExportState) async throws {
        try await storage.setSyncState(stateName, state.encoded)
    }
}

/// How far the export has gone: its cursor, how many files it wrote, and the file renamed
/// into place right now, if any.
struct ExportState: Equatable {
    var cursor: SyncCursor
    var files: Int
    var pending: String?

    init(cursor: SyncCursor, files: Int, pending: String?) {
        self.cursor = cursor
        self.files = files
        self.pending = pending
    }

    init(encoded text: String) {
        let value = try? JSONReader.read(Array(text.utf8))
        if case .string(let cursor)? = value?["cursor"] { self.cursor = SyncCursor(encoded: cursor) ?? SyncCursor() } else { cursor = SyncCursor() }
        if case .integer(let files)? = value?["files"] { self.files = Int(files) } else { files = 0 }
        if case .string(let pending)? = value?["pending"] { self.pending = pending } else { pending = nil }
    }

    var encoded: String {
        var members: [String: JSONValue] = ["cursor": .string(cursor.encoded), "files": .integer(Int64(files))]
        if let pending { members["pending"] = .string(pending) }
        return String(decoding: JSONWriter.bytes(of: .object(members)), as: UTF8.self)
    }
}
