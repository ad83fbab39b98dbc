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
                #expect(
                    try await StoreLinkProcessTests.eventually(within: .seconds(60)) {
                        try await StoreLinkProcessTests.status(base, of: "VALLBLANCA") == "ON"
                    }
                )
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
                #expect(
                    try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 88 },
                    "every sale on central"
                )
                #expect(
                    try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "First-Test") == 88 },
                    "and on the store"
                )
                #expect(try await StoreLinkProcessTests.markerArrives(from: base, to: centralBase, product: "SKU-00001"))
                #expect(try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 88, "each once")
                #expect(try await StoreLinkProcessTests.onHand(base, "First-Test") == 88)
                await Self.stop(store)

                let onCentral = try await Self.storeMovements(in: centralDatabase)
                let onStore = try await Self.storeMovements(in: storeDatabase)
                #expect(onCentral.count == 13, "twelve sales and the marker")
                #expect(Set(onCentral.map(\.sequence)).count == 13)
                #expect(onCentral == onStore, "the store's own movements, the same on both sides")
            }
        }
    }

    /// Central's database restored from a copy older than its stores: the store sends again
    /// what central lost of its sales, and forgets central's own movements the copy lacks, so
    /// that central's new ones (numbered as the lost ones were) reach it too. On SQLite with
    /// `backroom backup` (while central runs) and `backroom restore`; on PostgreSQL with a copy
    /// of the database made by PostgreSQL itself (as pg_restore would put one back) and
    /// `backroom restore --already-restored`.
    @Test(arguments: TestDatabase.allCases)
    func aCentralRestoredFromAnOlderCopyGetsEverySaleBackAndItsStoresForgetWhatItLost(_ database: TestDatabase) async throws {
        try await database.withFresh { centralDatabase async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                var central = try StoreLinkProcessTests.startCentral(centralDatabase.url)
                defer { central.signal(SIGKILL) }
                let port = try await central.listeningPort()
                let centralBase = "http://127.0.0.1:\(port)"
                func restartCentral() async throws {
                    central = try StoreLinkProcessTests.startCentral(centralDatabase.url, port: port)
                    _ = try await central.listeningPort()
                }
                func stopCentral() async {
                    central.signal(SIGTERM)
                    #expect(await central.waitForExit() == 0)
                }
                let store = try StoreLinkProcessTests.startStore(storeDatabase.url, central: centralBase)
                defer { store.signal(SIGKILL) }
                let base = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(
                    try await StoreLinkProcessTests.eventually(within: .seconds(60)) {
                        try await StoreLinkProcessTests.status(base, of: "VALLBLANCA") == "ON"
                    }
                )
                try await Self.sell(base, 3, as: "before-copy")
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 97 })

                let copy = try await Self.CentralCopy.take(of: centralDatabase, stopping: stopCentral, restarting: restartCentral)

                try await Self.sell(base, 5, as: "after-copy")
                #expect(try await StoreLinkProcessTests.sell(centralBase, "Second-Test", key: "web-lost") == 201)
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 92 })
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "Second-Test") == 4 })

                if case .sqlite(let file) = copy {
                    let refused = try await BackroomProcess.run(["restore", "--from", file, "--database", centralDatabase.url])
                    #expect(refused.status == 1)
                    #expect(refused.stderr.contains("stop it before restoring"))
                }
                await stopCentral()
                try await copy.putBack(as: centralDatabase)
                try await restartCentral()

                #expect(
                    try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 92 },
                    "the store sent the lost sales again"
                )
                #expect(
                    try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "Second-Test") == 5 },
                    "and forgot central's lost sale"
                )
                try await Self.sell(base, 2, as: "after-restore")
                #expect(try await StoreLinkProcessTests.sell(centralBase, "Second-Test", key: "web-new") == 201)
                #expect(try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(centralBase, "First-Test") == 90 })
                #expect(
                    try await StoreLinkProcessTests.eventually { try await StoreLinkProcessTests.onHand(base, "Second-Test") == 4 },
                    "central's new sale, numbered as the lost one was"
                )
                #expect(try await StoreLinkProcessTests.markerArrives(from: base, to: centralBase, product: "SKU-00001"))
                #expect(try await StoreLinkProcessTests.markerArrives(from: centralBase, to: base, product: "SKU-00002"))
                for product in ["First-Test", "Second-Test"] {
                    let onCentral = try await StoreLinkProcessTests.onHand(centralBase, product)
                    #expect(try await StoreLinkProcessTests.onHand(base, product) == onCentral, "\(product) the same on both sides")
                }
                await Self.stop(store)
                await stopCentral()
                let onCentral = try await Self.storeMovements(in: centralDatabase)
                #expect(onCentral.count == 11, "every sale once, and the marker")
                #expect(onCentral == (try await Self.storeMovements(in: storeDatabase)))
            }
        }
    }

    /// Last night's copy of central's database, however its kind of database makes one.
    enum CentralCopy {
        case sqlite(file: String)
        case postgres(server: String, database: String, copy: String)

        /// SQLite: `backroom backup` while central runs. PostgreSQL: a copy PostgreSQL makes of
        /// the database, which needs central stopped a moment.
        static func take(
            of database: FreshDatabase,
            stopping stop: () async -> Void,
            restarting restart: () async throws -> Void
        ) async throws -> CentralCopy {
            switch try database.location {
            case .sqlite:
                let file = try #require(database.folder) + "/nightly.sqlite"
                let backup = try await BackroomProcess.run(["backup", "--to", file, "--database", database.url])
                #expect(backup.status == 0, "taken while central runs: \(backup.stderr)")
                return .sqlite(file: file)
            case .postgres(let location):
                let server = try TestPostgres.serverURL()
                let copy = CentralCopy.postgres(server: server, database: location.database, copy: location.database + "_nightly")
                await stop()
                try await TestPostgres.administer(server, "CREATE DATABASE \(location.database)_nightly TEMPLATE \(location.database)")
                try await restart()
                return copy
            }
        }

        func putBack(as database: FreshDatabase) async throws {
            switch self {
            case .sqlite(let file):
                let restored = try await BackroomProcess.run(["restore", "--from", file, "--database", database.url])
                #expect(restored.status == 0, "\(restored.stderr)")
                #expect(restored.stdout.contains("noted restore"))
            case .postgres(let server, let name, let copy):
                try await TestPostgres.administer(server, "DROP DATABASE \(name) WITH (FORCE)")
                try await TestPostgres.administer(server, "CREATE DATABASE \(name) TEMPLATE \(copy)")
                try await TestPostgres.administer(server, "DROP DATABASE \(copy)")
                let noted = try await BackroomProcess.run(["restore", "--already-restored", "--database", database.url])
                #expect(noted.status == 0, "\(noted.stderr)")
                #expect(noted.stdout.contains("noted restore"))
            }
        }
    }
}
