import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct SyncEngineStorageTests {
    static let folder = NewSyncConnection(kind: .erpFiles, connectorId: 3, name: "ERP", uuid: "0b1c", config: ["folder": "/srv/erp"])
    static let vallblanca = Shop(id: 10010, name: "Vallblanca")

    static func withShop(_ storage: any BackroomStorage) async throws {
        try await storage.addMissingShops([Self.vallblanca])
        try await storage.addMissingStock([StockLevel(shop: 10010, product: "First-Test", onHand: 100, blocked: 0)], origin: .central)
    }

    @Test(arguments: TestDatabase.allCases)
    func connectionsAreRenamedResetAndOrdered(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let first = try await storage.addSyncConnection(Self.folder)
            let second = try await storage.addSyncConnection(
                NewSyncConnection(kind: .erpFiles, connectorId: 3, name: "Backup", uuid: "2", config: [:])
            )
            let http = try await storage.addSyncConnection(
                NewSyncConnection(kind: .http, connectorId: 101, name: "API", uuid: "3", config: ["batchSize": "5"])
            )
            #expect(http.kind == .http && http.connectorId == 101 && first.connectorId == 3)

            let renamed = try await storage.updateSyncConnection(id: first.id, name: "Ledger", config: ["folder": "/srv/ledger"])
            #expect(renamed?.name == "Ledger" && renamed?.config == ["folder": "/srv/ledger"] && renamed?.uuid == "0b1c")
            await #expect(throws: StorageError.self) { try await storage.updateSyncConnection(id: first.id, name: "Backup", config: [:]) }
            #expect(try await storage.updateSyncConnection(id: 999, name: "X", config: [:]) == nil)

            try await storage.setSyncPriorities([http.id, first.id])
            var stored = try await storage.syncConnections(includeDeleted: false)
            #expect(stored.map(\.priority) == [2, nil, 1])
            try await storage.setSyncPriorities([second.id])
            stored = try await storage.syncConnections(includeDeleted: false)
            #expect(stored.map(\.priority) == [nil, 1, nil], "the others lose theirs")

            #expect(try await storage.removeSyncConnection(id: second.id))
            #expect(try await storage.updateSyncConnection(id: second.id, name: "Y", config: [:]) == nil, "a deleted connection is not changed")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func connectorEntitiesAreNumberedAfterTheBuiltInOnes(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let navision = try await storage.addConnectorEntity(name: "Navision", url: "https://nav.example/in")
            let sap = try await storage.addConnectorEntity(name: "SAP", url: "https://sap.example/in")
            #expect(navision.id == ConnectorKind.firstEntityId && sap.id == navision.id + 1)
            #expect(try await storage.updateConnectorEntity(id: sap.id, name: "S/4", url: "https://s4.example")?.url == "https://s4.example")
            #expect(try await storage.updateConnectorEntity(id: 5, name: "X", url: "http://x") == nil)
            #expect(try await storage.removeConnectorEntity(id: navision.id))
            #expect(try await !storage.removeConnectorEntity(id: 999))
            #expect(try await storage.connectorEntities(includeDeleted: false).map(\.name) == ["S/4"])
            #expect(try await storage.connectorEntity(id: navision.id)?.deleted == true)
            #expect(try await storage.updateConnectorEntity(id: navision.id, name: "N", url: "http://n") == nil)
            let third = try await storage.addConnectorEntity(name: "Third", url: "http://third")
            #expect(third.id == sap.id + 1, "a deleted entity keeps its number")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aBatchIsReadAgainByItsRangeAndMovementsByTheirIds(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.withShop(storage)
            let north = try ServerKey("NORTE")
            try await storage.applyReplicated(
                (1...4).map {
                    ReplicatedMovement(
                        origin: north,
                        sequence: $0,
                        shop: 10010,
                        product: "First-Test",
                        qty: -1,
                        reason: .sale,
                        reference: nil,
                        createdAt: 1
                    )
                },
                recording: nil,
                figures: nil
            )
            let all = try await storage.movements(forShops: nil, except: nil, after: SyncCursor(), limit: 100)
            let page = try await storage.movements(forShops: nil, except: nil, after: SyncCursor(), limit: 3)
            #expect(try await storage.movements(after: SyncCursor(), through: page.cursor) == page.movements)
            let rest = try await storage.movements(after: page.cursor, through: all.cursor)
            #expect(page.movements + rest == all.movements)
            #expect(rest.contains { $0.origin == north && $0.sequence == 4 })
            let picked = try await storage.movements(ids: [2, 1, 999])
            #expect(picked.count == 2 && picked == picked.sorted { ($0.origin.value, $0.sequence) < ($1.origin.value, $1.sequence) })
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func connectionsAreAddedToggledAndRemoved(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let added = try await storage.addSyncConnection(Self.folder)
            #expect(added.kind == .erpFiles && added.name == "ERP" && added.uuid == "0b1c" && added.config == ["folder": "/srv/erp"])
            #expect(added.active && !added.deleted && added.lastSuccessAt == nil && added.lastError == nil)
            await #expect(throws: StorageError.self) { try await storage.addSyncConnection(Self.folder) }
            let store = try await storage.addSyncConnection(NewSyncConnection(kind: .storeLink, connectorId: 1, name: "ERP", uuid: "9", config: [:]))
            #expect(store.id != added.id, "names are per connector")

            #expect(try await storage.setSyncConnection(id: added.id, active: false)?.active == false)
            #expect(try await storage.setSyncConnection(id: 999, active: false) == nil)

            try await storage.recordVisit(connection: added.id, at: 5_000, error: nil)
            try await storage.recordVisit(connection: added.id, at: 6_000, error: String(repeating: "e", count: 3_000))
            var stored = try #require(try await storage.syncConnection(id: added.id))
            #expect(stored.lastSuccessAt == 5_000 && stored.lastError?.count == StoredServer.offlineLogLimit)
            try await storage.recordVisit(connection: added.id, at: 7_000, error: nil)
            stored = try #require(try await storage.syncConnection(id: added.id))
            #expect(stored.lastSuccessAt == 7_000 && stored.lastError == nil)

            #expect(try await storage.removeSyncConnection(id: added.id))
            #expect(try await !storage.removeSyncConnection(id: 999))
            #expect(try await storage.syncConnections(includeDeleted: false).map(\.id) == [store.id])
            let all = try await storage.syncConnections(includeDeleted: true)
            #expect(all.map(\.id) == [added.id, store.id])
            #expect(all[0].deleted && !all[0].active)
            #expect(try await storage.setSyncConnection(id: added.id, active: true) == nil, "a removed connection stays off")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anErpFileIsAppliedWholeAndOnce(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.withShop(storage)
            let file = ErpImport(
                products: [ErpImport.Product(id: "Anorak", name: "Anorak, red")],
                counts: [ErpImport.StockLine(shop: 10010, product: "First-Test", quantity: 90, line: 2)],
                receipts: [
                    ErpImport.StockLine(shop: 10010, product: "Anorak", quantity: 4, line: 2),
                    ErpImport.StockLine(shop: 10010, product: "Anorak", quantity: 3, line: 3),
                ]
            )
            #expect(try await storage.importErpFile(file, connection: 1, key: "f1:abc", origin: .central, at: 1_000))
            #expect(try await !storage.importErpFile(file, connection: 1, key: "f1:abc", origin: .central, at: 2_000), "the same file again")
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 90)
            #expect(try await storage.stockLevel(shop: 10010, product: "Anorak")?.onHand == 7)
            #expect(try await storage.movementTotal(shop: 10010, product: "Anorak") == 7)
            let movements = try await storage.ownMovements(origin: .central, after: 1, limit: 10)
            #expect(movements.map(\.reason) == [.count, .receipt, .receipt])
            #expect(movements.allSatisfy { $0.reference == "f1:abc" })
            #expect(try await storage.importErpFile(file, connection: 2, key: "f1:abc", origin: .central, at: 3_000), "keys are per connection")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aFileNamingAnUnknownShopChangesNothing(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            try await Self.withShop(storage)
            let file = ErpImport(
                products: [ErpImport.Product(id: "Anorak", name: "Anorak")],
                receipts: [
                    ErpImport.StockLine(shop: 10010, product: "First-Test", quantity: 4, line: 2),
                    ErpImport.StockLine(shop: 99999, product: "First-Test", quantity: 3, line: 3),
                ]
            )
            await #expect(throws: StorageError.unknownShop(99999)) {
                try await storage.importErpFile(file, connection: 1, key: "f2:def", origin: .central, at: 1_000)
            }
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
            #expect(try await storage.highestSequence(of: .central) == 1, "only the demo line's count")
            let good = ErpImport(receipts: [ErpImport.StockLine(shop: 10010, product: "First-Test", quantity: 4, line: 2)])
            #expect(try await storage.importErpFile(good, connection: 1, key: "f2:def", origin: .central, at: 2_000), "the key was not taken")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func oneHolderAtATimeHoldsALease(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            #expect(try await storage.holdLease("engine", holder: "a", until: 2_000, now: 1_000))
            #expect(try await !storage.holdLease("engine", holder: "b", until: 2_500, now: 1_500))
            #expect(try await storage.holdLease("engine", holder: "a", until: 3_000, now: 1_900), "renewed")
            #expect(try await !storage.holdLease("engine", holder: "b", until: 3_500, now: 2_900))
            #expect(try await storage.holdLease("engine", holder: "b", until: 4_500, now: 3_001), "expired, taken over")
            #expect(try await !storage.holdLease("engine", holder: "a", until: 4_000, now: 3_100))
            try await storage.releaseLease("engine", holder: "a")
            #expect(try await !storage.holdLease("engine", holder: "a", until: 4_000, now: 3_200), "only the holder releases")
            try await storage.releaseLease("engine", holder: "b")
            #expect(try await storage.holdLease("engine", holder: "a", until: 4_000, now: 3_200))

            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask { try await storage.holdLease("race", holder: "h\(index)", until: 10_000, now: 5_000) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}

extension SyncEngineStorageTests {
    @Test(arguments: TestDatabase.allCases)
    func aStateIsReplacedOnlyFromWhatItWas(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            #expect(try await storage.replaceSyncState(.erpExport(connection: 9), expected: nil, with: "a"))
            #expect(try await !storage.replaceSyncState(.erpExport(connection: 9), expected: nil, with: "b"), "already set")
            #expect(try await !storage.replaceSyncState(.erpExport(connection: 9), expected: "x", with: "b"))
            #expect(try await storage.replaceSyncState(.erpExport(connection: 9), expected: "a", with: "b"))
            #expect(try await storage.syncState(.erpExport(connection: 9)) == "b")
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    group.addTask { try await storage.replaceSyncState(.erpExport(connection: 9), expected: "b", with: "c\(index)") }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}

extension SyncEngineStorageTests {
    @Test(arguments: TestDatabase.allCases)
    func severalStatesAreReadAtOnceAndThoseNotSetAreAbsent(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            let north = try ServerKey("NORTH")
            let south = try ServerKey("SOUTH")
            try await storage.setSyncState(.peerPulled(north), "cursor-n")
            try await storage.setSyncState(.peerWaiting(south), "7")
            let states = try await storage.syncStates([.peerPulled(north), .peerWaiting(north), .peerWaiting(south), .peerPulled(north)])
            #expect(states == [.peerPulled(north): "cursor-n", .peerWaiting(south): "7"])
            #expect(try await storage.syncStates([]).isEmpty)
            try await storage.setSyncStates([.peerPulled(north): "cursor-n2", .peerWaiting(north): "0", .peerWaiting(south): "7"])
            #expect(
                try await storage.syncStates([.peerPulled(north), .peerWaiting(north), .peerWaiting(south)])
                    == [.peerPulled(north): "cursor-n2", .peerWaiting(north): "0", .peerWaiting(south): "7"],
                "set together, the same kept"
            )
        }
    }
}
