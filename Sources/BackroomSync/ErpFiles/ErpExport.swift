import BackroomCore
import BackroomStorage
import Foundation
import Metrics
import ServiceLifecycle

/// Writes movements to `out/` as numbered JSON Lines files (`movements-00000001.jsonl`, …),
/// each movement in exactly one file however the process stops. The order of steps is what
/// makes it so: the file is written under a temporary name of this writer's own, then the
/// database notes the new cursor together with that the file is pending, then the rename, then
/// the note is cleared. After a crash, a pending file whose temporary is still there is
/// renamed; one whose temporary is gone was renamed already. Every note is a compare-and-set,
/// so that of two processes exporting at once (the engine's lease makes that rare, not
/// impossible) only one goes on from what both read.
struct ErpExport {
    /// Temporaries older than this belong to no writer still at work and are thrown away.
    static let abandonedAfter: TimeInterval = 600

    let storage: any ReplicationStore & SyncStateStore
    let folder: ErpFolder
    let connection: Int64
    let clock: BackroomClock

    private var stateKey: SyncStateKey { .erpExport(connection: connection) }

    struct Overtaken: Error, CustomStringConvertible {
        var description: String { "another process exported at the same time; the next visit goes on from where it got" }
    }

    /// `ForceResync`: everything from the start again, or only the movements `ids`, in new
    /// files. The file being renamed into place, if any, stays pending, so that it is finished.
    func startOver(ids: [Int64]) async throws {
        while true {
            let stored = try await storage.syncState(stateKey)
            var state = ExportState(encoded: stored ?? "")
            if ids.isEmpty { state.cursor = SyncCursor() } else { state.resend = Array(Set(state.resend + ids)).sorted() }
            if try await storage.replaceSyncState(stateKey, expected: stored, with: state.encoded) { return }
        }
    }

    /// Exports what was asked for again, then everything new; returns how many movements went out.
    func run() async throws -> Int {
        var (state, stored) = try await recover()
        var exported = 0
        if !state.resend.isEmpty {
            let movements = try await storage.movements(ids: state.resend)
            (state, stored) = try await write(movements, state: state, next: state.cursor, stored: stored)
            exported += movements.count
        }
        while !Task.isShuttingDownGracefully {
            let page = try await storage.movements(forShops: nil, except: nil, after: state.cursor, limit: ErpFilesConnector.exportBatch)
            if page.movements.isEmpty {
                if page.cursor != state.cursor {
                    state.cursor = page.cursor
                    stored = try await save(state, replacing: stored)
                }
                if !page.more { return exported }
                continue
            }
            (state, stored) = try await write(page.movements, state: state, next: page.cursor, stored: stored)
            exported += page.movements.count
        }
        return exported
    }

    /// One file of `movements`, after which the export stands at `next` with nothing asked for again.
    private func write(
        _ movements: [ReplicatedMovement],
        state: ExportState,
        next: SyncCursor,
        stored previous: String?
    ) async throws -> (ExportState, String?) {
        let file = folder.outbox.appendingPathComponent(String(format: "movements-%08d.jsonl", state.files + 1))
        let lines = movements.flatMap { JSONWriter.bytes(of: $0.json) + [UInt8(ascii: "\n")] }
        let temporary = try folder.writeTemporary(lines, for: file)
        var state = ExportState(
            cursor: next,
            files: state.files + 1,
            pending: ExportState.Pending(file: file.lastPathComponent, temporary: temporary.lastPathComponent)
        )
        var stored: String
        do {
            stored = try await save(state, replacing: previous)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        try folder.rename(temporary, to: file)
        Counter(label: "backroom_erp_exported_movements_total").increment(by: movements.count)
        state.pending = nil
        stored = try await save(state, replacing: stored)
        return (state, stored)
    }

    /// Finishes what a stopped process left half done, and returns where to go on from with
    /// the state as stored.
    private func recover() async throws -> (ExportState, String?) {
        var stored = try await storage.syncState(stateKey)
        var state = ExportState(encoded: stored ?? "")
        if let pending = state.pending {
            let temporary = folder.outbox.appendingPathComponent(pending.temporary)
            if FileManager.default.fileExists(atPath: temporary.path) {
                try folder.rename(temporary, to: folder.outbox.appendingPathComponent(pending.file))
            }
            state.pending = nil
            stored = try await save(state, replacing: stored)
        }
        let abandoned = clock.date().addingTimeInterval(-Self.abandonedAfter)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.outbox.path) where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let url = folder.outbox.appendingPathComponent(name)
            if let modified = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate, modified < abandoned {
                try? FileManager.default.removeItem(at: url)
            }
        }
        return (state, stored)
    }

    private func save(_ state: ExportState, replacing stored: String?) async throws -> String {
        let encoded = state.encoded
        guard try await storage.replaceSyncState(stateKey, expected: stored, with: encoded) else { throw Overtaken() }
        return encoded
    }
}

/// How far the export has gone: its cursor, how many files it wrote, and the file being renamed
/// into place right now, if any, with the temporary it comes from.
struct ExportState: Equatable {
    struct Pending: Equatable {
        let file: String
        let temporary: String
    }

    var cursor: SyncCursor
    var files: Int
    var pending: Pending?
    /// Movement ids `ForceResync` asked for again, written in a file of their own first.
    var resend: [Int64] = []

    init(cursor: SyncCursor, files: Int, pending: Pending?) {
        self.cursor = cursor
        self.files = files
        self.pending = pending
    }

    init(encoded text: String) {
        let value = try? JSONReader.read(Array(text.utf8))
        if case .string(let cursor)? = value?["cursor"] { self.cursor = SyncCursor(encoded: cursor) ?? SyncCursor() } else { cursor = SyncCursor() }
        if case .integer(let files)? = value?["files"] { self.files = Int(files) } else { files = 0 }
        if case .array(let ids)? = value?["resend"] { resend = ids.compactMap { if case .integer(let id) = $0 { id } else { nil } } }
        if case .string(let file)? = value?["pending"], case .string(let temporary)? = value?["temporary"] {
            pending = Pending(file: file, temporary: temporary)
        } else {
            pending = nil
        }
    }

    var encoded: String {
        var members: [String: JSONValue] = ["cursor": .string(cursor.encoded), "files": .integer(Int64(files))]
        if !resend.isEmpty { members["resend"] = .array(resend.map(JSONValue.integer)) }
        if let pending {
            members["pending"] = .string(pending.file)
            members["temporary"] = .string(pending.temporary)
        }
        return JSONWriter.string(of: .object(members))
    }
}
