import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import Testing

/// Issue 25: a store whose disk died is restored from last night's copy, and a central from an
/// older copy than its stores; neither loses a sale nor counts one twice.
struct RestoreProcessTests {
    static let store = try! ServerKey("VALLBLANCA")

    /// An SQLite database's files (the database, its write-ahead log and shared memory), copied
    /// from `folder` into `copy` or back, replacing whatever was there.
    static func copyDatabaseFiles(from source: String, to destination: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] {
            let target = "\(destination)/backroom.sqlite\(suffix)"
            try? files.removeItem(atPath: target)
            if files.fileExists(atPath: "\(source)/backroom.sqlite\(suffix)") {
                try files.copyItem(atPath: "\(source)/backroom.sqlite\(suffix)", toPath: target)
            }
        }
    }

    static func stop(_ process: BackroomProcess.Running) async {
        process.signal(SIGTERM)
        #expect(await process.waitForExit() == 0, "\(process.stderr)")
    }

    /// Sells one of First-Test `count` times at `base`, each sale its own.
    static func sell(_ base: String, _ count: Int, as name: String) async throws {
        for index in 1...count {
            #expect(try await StoreLinkProcessTests.sell(base, "First-Test", key: "\(name)-\(index)") == 201)
        }
    }

    /// The store's movements that `database` holds, by sequence: each once, and their sum.
    static func storeMovements(in database: FreshDatabase) async throws -> [ReplicatedMovement] {
        try await database.withStorage { storage, _ in try await storage.ownMovements(origin: Self.store, after: 0, limit: 1000) }
    }

    @Test(arguments: TestDatabase.allCases)
    func aStoreRestoredFromAnOlderCopyLosesNothingAndDivergesFromNothing(_ database: TestDatabase) async throws {
        try await database.withFresh { centralDatabase async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let folder = try #require(storeDatabase.folder)
                let central = try StoreLinkProcessTests.startCentral(centralDatabase.url)
                defer { central.signal(SIGKILL) }
                let centralBase = "http://127.0.0.1:\(try await central.listeningPort())"
                func startStore() async throws -> (BackroomProcess.Running, String) {
                    let store = try StoreLinkProcessTests.startStore(storeDatabase.url, central: centralBase)
                    let base = "http://127.0.0.1:\(try await store.listeningPort())"
                    return (store, base)
                }

                var (store, base) = try await startStore()
                #expect(try await StoreLinkProcessTests.eventually(within: .seconds(60)) { try await StoreLinkProcessTests.status(base, of: "VALLBLANCA") == "ON" })
                try await Self.sell(base, 3, as: "before-copy")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 97 })
                await Self.stop(store)
                try Self.copyDatabaseFiles(from: folder, to: "\(folder)/nightly")

                (store, base) = try await startStore()
                try await Self.sell(base, 5, as: "after-copy")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 92 })
                await Self.stop(store)

                // The disk dies; last night's copy is put back.
                try Self.copyDatabaseFiles(from: "\(folder)/nightly", to: folder)
                (store, base) = try await startStore()
                defer { store.signal(SIGKILL) }
                try await Self.sell(base, 4, as: "after-restore")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 88 }, "every sale on central")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "First-Test") == 88 }, "and on the store")
                try await Task.sleep(for: .seconds(2))
                #expect(try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 88, "each once")
                #expect(try await StoreLinkProcessTests.onHand(base, "First-Test") == 88)
                await Self.stop(store)

                let onCentral = try await Self.storeMovements(in: centralDatabase)
                let onStore = try await Self.storeMovements(in: storeDatabase)
                #expect(onCentral.count == 12)
                #expect(Set(onCentral.map(\.sequence)).count == 12)
                #expect(onCentral == onStore, "the store's own movements, the same on both sides")
            }
        }
    }

    /// Central's database restored from a copy older than its stores: the store sends again
    /// what central lost of its sales, and forgets central's own movements the copy lacks, so
    /// that central's new ones (numbered as the lost ones were) reach it too.
    @Test func aCentralRestoredFromAnOlderCopyGetsEverySaleBackAndItsStoresForgetWhatItLost() async throws {
        try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let centralPath = try #require(centralDatabase.folder) + "/backroom.sqlite"
                var central = try StoreLinkProcessTests.startCentral(centralDatabase.url)
                let port = try await central.listeningPort()
                let centralBase = "http://127.0.0.1:\(port)"
                let store = try StoreLinkProcessTests.startStore(storeDatabase.url, central: centralBase)
                defer { store.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(try await StoreLinkProcessTests.eventually(within: .seconds(60)) { try await StoreLinkProcessTests.status(base, of: "VALLBLANCA") == "ON" })
                try await Self.sell(base, 3, as: "before-copy")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 97 })

                let copy = try #require(centralDatabase.folder) + "/nightly.sqlite"
                let backup = try await BackroomProcess.run(["backup", "--to", copy, "--database", centralDatabase.url])
                #expect(backup.status == 0, "taken while central runs: \(backup.stderr)")

                try await Self.sell(base, 5, as: "after-copy")
                #expect(try await StoreLinkProcessTests.sell(centralBase, "Second-Test", key: "web-lost") == 201)
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 92 })
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "Second-Test") == 4 })

                let refused = try await BackroomProcess.run(["restore", "--from", copy, "--database", centralDatabase.url])
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("stop it before restoring"))
                central.signal(SIGTERM)
                #expect(await central.waitForExit() == 0)
                let restored = try await BackroomProcess.run(["restore", "--from", copy, "--database", centralDatabase.url])
                #expect(restored.status == 0, "\(restored.stderr)")
                #expect(restored.stdout.contains("noted restore"))
                #expect(FileManager.default.fileExists(atPath: centralPath))
                central = try StoreLinkProcessTests.startCentral(centralDatabase.url, port: port)
                defer { central.signal(SIGKILL) }
                _ = try await central.listeningPort()

                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 92 }, "the store sent the lost sales again")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "Second-Test") == 5 }, "and forgot central's lost sale")
                try await Self.sell(base, 2, as: "after-restore")
                #expect(try await StoreLinkProcessTests.sell(centralBase, "Second-Test", key: "web-new") == 201)
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 90 })
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "Second-Test") == 4 }, "central's new sale, numbered as the lost one was")
                try await Task.sleep(for: .seconds(2))
                for product in ["First-Test", "Second-Test"] {
                    let onCentral = try await StoreLinkProcessTests.onHand(centralBase, product)
                    #expect(try await StoreLinkProcessTests.onHand(base, product) == onCentral, "\(product) the same on both sides")
                }
                await Self.stop(store)
                central.signal(SIGTERM)
                _ = await central.waitForExit()
                let onCentral = try await Self.storeMovements(in: centralDatabase)
                #expect(onCentral.count == 10, "every sale once")
                #expect(onCentral == (try await Self.storeMovements(in: storeDatabase)))
            }
        }
    }
}
