import BackroomCore
import BackroomGzip
import BackroomStorage
import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

struct SyncEndpointTests {
    static let store: HTTPFields = [.authorization: "Bearer demo-vallblanca-token", .contentType: "application/json"]
    static let vallblanca = try! ServerKey("VALLBLANCA")

    static func batch(_ sequences: ClosedRange<Int64>, origin: ServerKey = vallblanca) -> String {
        let movements = sequences.map {
            ReplicatedMovement(
                origin: origin,
                sequence: $0,
                shop: 10010,
                product: "First-Test",
                qty: -1,
                reason: .sale,
                reference: nil,
                createdAt: 1
            ).json
        }
        return JSONWriter.string(of: .object(["movements": .array(movements)]))
    }

    @Test(arguments: TestDatabase.allCases)
    func aBatchPushedTwiceIsAppliedOnce(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            let first = try await client.call(.post, "/sync/v1/push", body: Self.batch(1...3), headers: Self.store)
            #expect(first.status == .ok)
            #expect(try first.json["applied"] as? Int == 3 && first.json["highWater"] as? Int == 3)
            let again = try await client.call(.post, "/sync/v1/push", body: Self.batch(2...4), headers: Self.store)
            #expect(try again.json["applied"] as? Int == 1 && again.json["highWater"] as? Int == 4)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 96)
        }
    }

    @Test func aStoreMayPushOnlyItsOwnMovementsWithItsToken() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            let foreign = try await client.call(.post, "/sync/v1/push", body: Self.batch(1...1, origin: .central), headers: Self.store)
            #expect(foreign.status == .badRequest)
            #expect(try await client.call(.post, "/sync/v1/push", body: "{}", headers: Self.store).status == .badRequest)
            var wrong = Self.store
            wrong[.authorization] = "Bearer not-a-token"
            let refused = try await client.call(.post, "/sync/v1/push", body: Self.batch(1...1), headers: wrong)
            #expect(refused.status == .unauthorized)
            #expect(try refused.json["error"] as? String == "unknown store token")
            #expect(try await client.call(.get, "/sync/v1/bootstrap", headers: [:]).status == .unauthorized)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 100)
        }
    }

    /// Issue 25: a push names the sequence it follows; a central holding less refuses it (409),
    /// nonsense is refused (400), and neither applies anything.
    @Test(arguments: TestDatabase.allCases)
    func aPushFollowingWhatCentralDoesNotHoldIsRefusedAndChangesNothing(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, storage async throws in
            func push(_ after: String, _ sequences: ClosedRange<Int64>) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
                let body = Self.batch(sequences).replacingOccurrences(of: #"{"movements""#, with: #"{"after": \#(after), "movements""#)
                let answer = try await client.call(.post, "/sync/v1/push", body: body, headers: Self.store)
                return (answer.status, try answer.json)
            }
            #expect(try await push("0", 1...2).status == .ok)
            let gap = try await push("5", 6...6)
            #expect(gap.status == .conflict)
            #expect((gap.json["error"] as? String)?.contains("only through 2") == true, "\(gap.json)")
            for nonsense in [#""2""#, "-1", "null", "2.5", "[]"] {
                #expect(try await push(nonsense, 3...3).status == .badRequest, "after: \(nonsense)")
            }
            #expect(try await push("2", 3...3).status == .ok)
            #expect(try await storage.highestSequence(of: Self.vallblanca) == 3)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 97)
        }
    }

    /// What a store squares with central before it pushes: its own movements central holds.
    @Test(arguments: TestDatabase.allCases)
    func aStoreReadsBackOnlyItsOwnMovementsCentralHolds(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            #expect(try await client.call(.post, "/sync/v1/push", body: Self.batch(1...3), headers: Self.store).status == .ok)
            let own = try await client.call(.get, "/sync/v1/own?after=1&limit=1", headers: Self.store)
            #expect(own.status == .ok)
            #expect(try own.json["highWater"] as? Int == 3)
            let movements = try #require(try own.json["movements"] as? [[String: Any]])
            #expect(movements.map { $0["sequence"] as? Int } == [2])
            #expect(movements.allSatisfy { $0["origin"] as? String == "VALLBLANCA" })
            for query in ["after=-1", "after=x", "", "after=0&limit=0", "after=0&limit=1001"] {
                #expect(try await client.call(.get, "/sync/v1/own?\(query)", headers: Self.store).status == .badRequest, "\(query)")
            }
            #expect(try await client.call(.get, "/sync/v1/own?after=0", headers: [:]).status == .unauthorized)
        }
    }

    /// Only a store that proved who it is reports a status, and only its own.
    @Test func aCallersStatusIsRecordedOnlyOnceItsTokenIsKnownAndOnlyForItself() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            func status() async throws -> ServerStatus? { try await storage.server(key: Self.vallblanca)?.status }
            let before = try await status()
            var forged = Self.store
            forged[.authorization] = "Bearer not-a-token"
            forged[HTTPField.Name("X-Backroom-Server-Key")!] = "VALLBLANCA"
            forged[HTTPField.Name("X-Backroom-Server-Status")!] = "TOFF"
            #expect(try await client.call(.get, "/sync/v1/pull", headers: forged).status == .unauthorized)
            #expect(try await status() == before)
            var other = Self.store
            other[HTTPField.Name("X-Backroom-Server-Key")!] = "CENTRAL"
            other[HTTPField.Name("X-Backroom-Server-Status")!] = "OFF"
            #expect(try await client.call(.get, "/sync/v1/pull", headers: other).status == .ok)
            var own = Self.store
            own[HTTPField.Name("X-Backroom-Server-Key")!] = "VALLBLANCA"
            own[HTTPField.Name("X-Backroom-Server-Status")!] = "TON"
            #expect(try await client.call(.get, "/sync/v1/pull", headers: own).status == .ok)
            #expect(try await status() == .transitionToOnline)
        }
    }

    @Test func aPushHonoursTheBodyLimit() async throws {
        try await LiveServer.run(on: .sqlite, bodyLimit: 512) { client, _ async throws in
            let large = try await client.call(.post, "/sync/v1/push", body: Self.batch(1...20), headers: Self.store)
            #expect(large.status == .contentTooLarge)
            #expect(try large.json["error"] is String)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aStorePullsWhatCentralHasForItsShopsPastItsCursor(_ database: TestDatabase) async throws {
        try await LiveServer.run(on: database) { client, _ async throws in
            let first = try await client.call(.get, "/sync/v1/pull?limit=2", headers: Self.store)
            #expect(first.status == .ok)
            #expect(try (first.json["movements"] as? [[String: Any]])?.count == 2)
            #expect(try first.json["more"] as? Bool == true)
            let cursor = try #require(try first.json["cursor"] as? String)
            #expect(cursor == "CENTRAL:2")
            let rest = try await client.call(.get, "/sync/v1/pull?after=\(cursor)&limit=1000", headers: Self.store)
            let movements = try #require(try rest.json["movements"] as? [[String: Any]])
            #expect(movements.first?["sequence"] as? Int == 3)
            #expect(movements.allSatisfy { $0["shop"] as? Int == 10010 }, "only the store's shop")
            var waiting = Self.store
            waiting[HTTPField.Name(PeerHeaders.waiting)!] = "7"
            let last = try await client.call(.get, "/sync/v1/pull?after=\(cursor)&limit=5", headers: waiting)
            let listed = try await client.call(.get, "/api/v1/servers", headers: LiveServer.basic("admin", "admin"))
            let vallblanca = try #require((try listed.json["data"] as? [[String: Any]])?.first { $0["key"] as? String == "VALLBLANCA" })
            let waitingNow = try #require(vallblanca["waiting"] as? [String: Any])
            #expect(
                waitingNow["toStore"] as? Int == LiveServer.loadTestProducts && waitingNow["fromStore"] as? Int == 7,
                "as of the store's last pull"
            )
            #expect((waitingNow["lagSeconds"] as? Double).map { $0 >= 0 } == true, "the age of the oldest movement waiting")
            #expect(try last.json["cursor"] as? String == "CENTRAL:7")
            #expect(try await client.call(.get, "/sync/v1/pull?after=nonsense", headers: Self.store).status == .badRequest)
            #expect(try await client.call(.get, "/sync/v1/pull?limit=0", headers: Self.store).status == .badRequest)
        }
    }

    @Test func aStoreLoadsItsShopsUsersAndPreferencesOnFirstContact() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            try await storage.setPreference(.linkRetrySeconds, value: 7)
            let response = try await client.call(.get, "/sync/v1/bootstrap", headers: Self.store)
            #expect(response.headers[.contentEncoding] == nil, "compressed only for a store that accepts gzip")
            #expect(response.status == .ok)
            let bootstrap = try #require(StoreBootstrap.parse(try JSONReader.read(Array(response.body.readableBytesView))))
            #expect(bootstrap.central == .central)
            #expect(
                bootstrap.store
                    == ServerRegistration(
                        key: Self.vallblanca,
                        name: "Vallblanca",
                        type: .store,
                        url: "http://127.0.0.1:8081",
                        shops: [10010]
                    )
            )
            #expect(bootstrap.shops == [Shop(id: 10010, name: "Vallblanca")])
            #expect(bootstrap.stock.count == 3 + LiveServer.loadTestProducts && bootstrap.stock.allSatisfy { $0.shop == 10010 })
            #expect(bootstrap.stock == (try await storage.stockLines(shops: [10010])), "on hand as it stands, not as movements to sum")
            #expect(bootstrap.heads == SyncCursor([.central: try await storage.highestSequence(of: .central)]), "where its pulls go on from")
            let tje0 = try #require(bootstrap.users.first { $0.name == "tje0" })
            #expect(tje0.passwordHash.hasPrefix("$2"), "a bcrypt hash, never the password")
            #expect(Set(tje0.rights) == [.reservation, .atp, .erpsync] && tje0.shops == [10010])
            #expect(bootstrap.preferences[.linkRetrySeconds] == 7)
            #expect(bootstrap.preferences[.serverStatusMaxAge] == Preference.serverStatusMaxAge.defaultValue)
        }
    }

    @Test func batchesTravelGzipCompressedBothWays() async throws {
        try await LiveServer.run(on: .sqlite) { client, storage async throws in
            var compressed = Self.store
            compressed[.contentEncoding] = "gzip"
            let body = try Gzip.compress(Array(Self.batch(1...50).utf8))
            let pushed = try await client.executeRequest(uri: "/sync/v1/push", method: .post, headers: compressed, body: ByteBuffer(bytes: body))
            #expect(try pushed.json["applied"] as? Int == 50)
            #expect(try await storage.stockLevel(shop: 10010, product: "First-Test")?.onHand == 50)

            var accepting = Self.store
            accepting[.acceptEncoding] = "gzip, deflate"
            let pulled = try await client.call(.get, "/sync/v1/pull?limit=100", headers: accepting)
            #expect(pulled.headers[.contentEncoding] == "gzip")
            let answer = try JSONReader.read(try Gzip.decompress(Array(pulled.body.readableBytesView), limit: 1 << 20))
            #expect(ReplicatedMovement.parseList(answer)?.count == 100)

            let broken = try await client.executeRequest(
                uri: "/sync/v1/push",
                method: .post,
                headers: compressed,
                body: ByteBuffer(bytes: Array(body.prefix(20)))
            )
            #expect(broken.status == .badRequest)
            compressed[.contentEncoding] = "br"
            #expect(
                try await client.executeRequest(uri: "/sync/v1/push", method: .post, headers: compressed, body: ByteBuffer(bytes: body)).status
                    == .unsupportedMediaType
            )
        }
    }
}
