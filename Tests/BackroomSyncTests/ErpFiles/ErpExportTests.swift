import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import Testing

@testable import BackroomSync

/// What an export finds after a process stopped at each step of writing a file: it finishes
/// the step or forgets it, and no movement ends up in two files or in none.
struct ErpExportTests {
    static let state = SyncStateKey.erpExport(connection: 1)

    static func withExport(_ body: @Sendable (any BackroomStorage, ErpExport, ErpFolder) async throws -> Void) async throws {
        try await TestDatabase.sqlite.withStorage { storage, _ async throws in
            try await storage.addMissingShops([Shop(id: 10010, name: "Vallblanca")])
            try await storage.addMissingStock((1...3).map { StockLevel(shop: 10010, product: "P-\($0)", onHand: 5, blocked: 0) }, origin: .central)
            let folder = ErpFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("backroom-export-\(UUID().uuidString)").path)
            defer { try? FileManager.default.removeItem(at: folder.root) }
            try folder.prepare()
            try await body(storage, ErpExport(storage: storage, folder: folder, connection: 1, clock: .system), folder)
        }
    }

    static func outcome(_ body: () async throws -> Int) async -> Result<Int, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static func lines(_ folder: ErpFolder) throws -> [String: Int] {
        var lines: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.outbox.path) where !name.hasPrefix(".") {
            lines[name] = try String(contentsOf: folder.outbox.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").count
        }
        return lines
    }

    @Test func aFileNotedButNotYetRenamedIsRenamedAndNotWrittenAgain() async throws {
        try await Self.withExport { storage, export, folder in
            let file = folder.outbox.appendingPathComponent("movements-00000001.jsonl")
            let temporary = try folder.writeTemporary(Array("{\"origin\":\"CENTRAL\",\"sequence\":1}\n".utf8), for: file)
            let noted = ExportState(
                cursor: SyncCursor([.central: 1]),
                files: 1,
                pending: .init(file: file.lastPathComponent, temporary: temporary.lastPathComponent)
            )
            try await storage.setSyncState(Self.state, noted.encoded)

            #expect(try await export.run() == 2)
            #expect(try Self.lines(folder) == ["movements-00000001.jsonl": 1, "movements-00000002.jsonl": 2])
            #expect(
                ExportState(encoded: try await storage.syncState(Self.state) ?? "")
                    == ExportState(cursor: SyncCursor([.central: 3]), files: 2, pending: nil)
            )
        }
    }

    @Test func aFileAlreadyRenamedAndTakenByTheERPIsNotWrittenAgain() async throws {
        try await Self.withExport { storage, export, folder in
            let noted = ExportState(
                cursor: SyncCursor([.central: 2]),
                files: 1,
                pending: .init(file: "movements-00000001.jsonl", temporary: ".movements-00000001.jsonl.1a2b.tmp")
            )
            try await storage.setSyncState(Self.state, noted.encoded)

            #expect(try await export.run() == 1)
            #expect(try Self.lines(folder) == ["movements-00000002.jsonl": 1])
        }
    }

    @Test func aTemporaryFileThatWasNeverNotedIsThrownAwayOnceAbandonedAndItsMovementsExported() async throws {
        try await Self.withExport { storage, export, folder in
            let abandoned = try folder.writeTemporary(
                Array("half a line".utf8),
                for: folder.outbox.appendingPathComponent("movements-00000001.jsonl")
            )
            let old = Date().addingTimeInterval(-ErpExport.abandonedAfter - 60)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: abandoned.path)
            // Another writer's, maybe still at work: left alone.
            let recent = try folder.writeTemporary(Array("half a line".utf8), for: folder.outbox.appendingPathComponent("movements-00000001.jsonl"))

            #expect(try await export.run() == 3)
            #expect(!FileManager.default.fileExists(atPath: abandoned.path))
            #expect(FileManager.default.fileExists(atPath: recent.path))
            #expect(try Self.lines(folder) == ["movements-00000001.jsonl": 3])
            #expect(try await export.run() == 0, "nothing new")
            #expect(try Self.lines(folder) == ["movements-00000001.jsonl": 3])
        }
    }

    @Test func twoExportsAtOnceWriteEachMovementOnce() async throws {
        try await Self.withExport { storage, export, folder in
            try await storage.addMissingStock(
                (4...2_500).map { StockLevel(shop: 10010, product: "P-\($0)", onHand: 1, blocked: 0) },
                origin: .central
            )
            let other = ErpExport(storage: storage, folder: folder, connection: 1, clock: .system)
            async let first = Self.outcome { try await export.run() }
            async let second = Self.outcome { try await other.run() }
            let outcomes = await [first, second]
            for case .failure(let error) in outcomes { #expect(error is ErpExport.Overtaken, "\(error)") }
            _ = try await export.run()
            var movements: [String] = []
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.outbox.path) where !name.hasPrefix(".") {
                movements += try String(contentsOf: folder.outbox.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(
                    String.init
                )
            }
            #expect(movements.count == 2_500)
            #expect(Set(movements).count == 2_500)
        }
    }
}
