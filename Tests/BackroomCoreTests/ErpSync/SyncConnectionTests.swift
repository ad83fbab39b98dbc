import BackroomCore
import Testing

struct SyncConnectionTests {
    static func connection(_ id: Int64, priority: Int?) -> SyncConnection {
        SyncConnection(
            id: id,
            kind: .erpFiles,
            connectorId: 3,
            name: "C\(id)",
            uuid: "\(id)",
            active: true,
            deleted: false,
            config: [:],
            priority: priority,
            lastSuccessAt: nil,
            lastError: nil
        )
    }

    @Test func aRoundVisitsThoseWithAPriorityFirstThenTheRestById() {
        let connections = [
            Self.connection(4, priority: nil), Self.connection(1, priority: nil), Self.connection(3, priority: 1), Self.connection(2, priority: 2),
        ]
        #expect(SyncConnection.visitOrder(connections).map(\.id) == [3, 2, 1, 4])
        #expect(SyncConnection.visitOrder(connections.map { Self.connection($0.id, priority: nil) }).map(\.id) == [1, 2, 3, 4])
    }

    @Test func prioritiesListEachKnownIdOnceInTheOrderGiven() {
        #expect(SyncConnection.priorities(listing: [3, 1, 3, 2], known: [1, 2, 3, 4]) == [3, 1, 2])
        #expect(SyncConnection.priorities(listing: [], known: [1]) == [])
        #expect(SyncConnection.priorities(listing: [1, 9], known: [1, 2]) == nil, "an id of no connection")
    }

    @Test func secretsAreNotAmongTheSettingsShown() {
        let http = SyncConnection(
            id: 1,
            kind: .http,
            connectorId: 101,
            name: "API",
            uuid: "u",
            active: true,
            deleted: false,
            config: ["token": "sealed:v1:x", "batchSize": "10"],
            lastSuccessAt: nil,
            lastError: nil
        )
        #expect(http.visibleConfig == ["batchSize": "10"])
        #expect(http.with(config: ["batchSize": "20"]).config == ["batchSize": "20"])
    }
}
