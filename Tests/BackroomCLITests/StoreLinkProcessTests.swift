import AsyncHTTPClient
import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

/// A central and a store as separate `backroom` processes on loopback: the store comes on,
/// sells while central is away, and its sales arrive exactly once when central returns.
struct StoreLinkProcessTests {
    static let admin = "Basic " + Data("admin:admin".utf8).base64EncodedString()

    static func json(
        _ method: HTTPMethod,
        _ url: String,
        body: String? = nil,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> (status: UInt, json: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: admin)
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await ProcessHTTP.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:])
    }

    static func stockRow(_ base: String, _ product: String) async throws -> [String: Any]? {
        let answer = try await json(.GET, "\(base)/api/v1/shops/10010/stock?ids=\(product)")
        return (answer.json["data"] as? [[String: Any]])?.first
    }

    static func onHand(_ base: String, _ product: String) async throws -> Int? {
        try await stockRow(base, product)?["stock"] as? Int
    }

    /// Whether a sale of `product` made now at `from` reached `to`: a link delivers in order, so
    /// whatever was on its way before the sale has arrived once it has. What a test that asserts
    /// "nothing more came" waits for, instead of a while.
    static func markerArrives(from: String, to: String, product: String) async throws -> Bool {
        let before = try #require(try await onHand(from, product))
        #expect(try await sell(from, product, key: "marker-\(UUID().uuidString)") == 201)
        return try await eventually { try await onHand(to, product) == before - 1 }
    }

    static func sell(_ base: String, _ product: String, key: String, user: String = "admin:admin") async throws -> UInt {
        var request = HTTPClientRequest(url: "\(base)/api/v1/shops/10010/movements")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data(user.utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.body = .bytes(ByteBuffer(string: #"{"movements": [{"id": "\#(product)", "qty": -1, "reason": "sale"}]}"#))
        return try await ProcessHTTP.execute(request, timeout: .seconds(30)).status.code
    }

    /// A reservation by tje0, the seed's way: its status, exception codes and `Location`.
    static func reserve(_ base: String) async throws -> (status: UInt, codes: [String], location: String?) {
        var request = HTTPClientRequest(url: "\(base)/servlets/services/reservation/10010")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("tje0:Tje0".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"items": [{"id": "Second-Test", "qty": 1}]}"#))
        let response = try await ProcessHTTP.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any]
        let codes = (json?["exceptions"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        return (response.status.code, codes, response.headers.first(name: "Location"))
    }

    static func status(_ base: String, of key: String) async throws -> String? {
        let answer = try await json(.POST, "\(base)/api/v1/servers/status", body: #"{"serverKey": "\#(key)"}"#)
        return (answer.json["response"] as? [String: Any])?["serverStatus"] as? String
    }

    /// Polls `condition` every 100 ms for up to `limit`.
    static func eventually(within limit: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
        await Poll.until(within: limit, every: .milliseconds(100), condition)
    }

    /// What a store copies from central on first contact: go OFF at once, retry every second.
    static func preferQuickOutages(_ database: String) async throws {
        for (name, value) in [("OBMOBC_TransitionToOfflineWait", "0"), ("backroom.linkRetrySeconds", "1")] {
            #expect(try await BackroomProcess.run(["preference", "set", name, value, "--database", database]).status == 0)
        }
    }

    static func startCentral(_ database: String, port: Int = 0) throws -> BackroomProcess.Running {
        try BackroomProcess.start(["serve", "--demo", "--port", String(port), "--database", database])
    }

    /// A demo central on `database`, and its URL once it listens.
    static func runningCentral(_ database: String) async throws -> (process: BackroomProcess.Running, base: String) {
        let central = try startCentral(database)
        do {
            return (central, "http://127.0.0.1:\(try await central.listeningPort())")
        } catch {
            central.signal(SIGKILL)
            throw error
        }
    }

    static func startStore(_ database: String, central: String, token: String = "demo-vallblanca-token") throws -> BackroomProcess.Running {
        try BackroomProcess.start([
            "serve", "--role", "store", "--server-key", "VALLBLANCA", "--port", "0", "--central-url", central,
            "--central-token", token, "--database", database,
        ])
    }

    /// A pull with `token`, as a store would make it: its HTTP status.
    static func pullStatus(_ central: String, token: String) async throws -> UInt {
        var request = HTTPClientRequest(url: "\(central)/sync/v1/pull?after=&limit=1")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return try await ProcessHTTP.execute(request, timeout: .seconds(30)).status.code
    }

    @Test(arguments: TestDatabase.allCases)
    func aRotatedTokenReachesTheStoreAndRetiresTheOldOneAndAForcedOneAtOnce(_ database: TestDatabase) async throws {
        try await Self.withCentralAndStore(database) { central, store in
            #expect(try await Self.eventually { try await Self.onHand(store.base, "First-Test") == 100 })
            // Stopped while the token changes: its parked pull hears of it at once, and would
            // retire the old token before this test could try it.
            store.process.signal(SIGSTOP)
            let rotated = try await Self.json(.POST, "\(central.base)/api/v1/servers/VALLBLANCA/token", body: "{}")
            #expect(rotated.status == 200)
            let token = try #require((rotated.json["data"] as? [String: Any])?["token"] as? String)
            #expect(try await Self.pullStatus(central.base, token: "demo-vallblanca-token") == 200, "the old one works until the store has the new")
            store.process.signal(SIGCONT)
            #expect(try await Self.eventually { store.process.stdout.contains("central gave this store a new sync token") })
            #expect(
                try await Self.eventually { try await Self.pullStatus(central.base, token: "demo-vallblanca-token") == 401 },
                "then it is retired"
            )
            #expect(try await Self.sell(store.base, "First-Test", key: "after-rotation") == 201)
            #expect(try await Self.eventually { try await Self.onHand(central.base, "First-Test") == 99 }, "the link goes on with the new one")
            let stored = try await store.database.withStorage { storage, _ in try await storage.syncState(.linkToken) }
            #expect(stored?.hasPrefix("sealed:v1:") == true && stored?.contains(token) == false, "the store keeps it sealed")

            // Forced: the token the store has stops at once; started with the new one, it links
            // again. Stopped first, so that it cannot hear of the change before it is killed.
            store.process.signal(SIGSTOP)
            let forced = try await Self.json(.POST, "\(central.base)/api/v1/servers/VALLBLANCA/token", body: #"{"force": true}"#)
            let newest = try #require((forced.json["data"] as? [String: Any])?["token"] as? String)
            #expect(try await Self.pullStatus(central.base, token: token) == 401)
            store.process.signal(SIGKILL)
            _ = await store.process.waitForExit()
            let restarted = try Self.startStore(store.database.url, central: central.base, token: newest)
            defer { restarted.signal(SIGKILL) }
            let base = "http://127.0.0.1:\(try await restarted.listeningPort())"
            #expect(try await Self.sell(base, "First-Test", key: "after-force") == 201)
            #expect(try await Self.eventually { try await Self.onHand(central.base, "First-Test") == 98 })
            #expect(restarted.stdout.contains("central refused the token it gave this store"), "the token it kept was tried first")
        }
    }

    /// Given a central that does not answer and one that does, the store links through the
    /// second, and forwards the web shop's reservations there.
    @Test func aStoreGivenSeveralCentralsUsesTheNextWhenOneDoesNotAnswer() async throws {
        try await TestDatabase.sqlite.withFresh { centralDatabase async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let central = try Self.startCentral(centralDatabase.url)
                defer { central.signal(SIGKILL) }
                let centralBase = "http://127.0.0.1:\(try await central.listeningPort())"
                let silent = "http://127.0.0.1:\(try await ServerStatusProcessTests.freePort())"
                let store = try BackroomProcess.start([
                    "serve", "--role", "store", "--server-key", "VALLBLANCA", "--port", "0", "--central-url", silent,
                    "--central-url", centralBase, "--central-token", "demo-vallblanca-token", "--database", storeDatabase.url,
                ])
                defer { store.signal(SIGKILL) }
                let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(try await Self.eventually(within: .seconds(60)) { try await Self.status(storeBase, of: "VALLBLANCA") == "ON" })
                #expect(store.stdout.contains("trying the next central"))
                #expect(try await Self.reserve(storeBase).status == 201, "forwarded to the central in use")
                #expect(try await Self.sell(storeBase, "First-Test", key: "till-9/1") == 201)
                #expect(try await Self.eventually { try await Self.onHand(centralBase, "First-Test") == 99 })
            }
        }
    }

    /// A central on `database` with the demo and the VALLBLANCA store (SQLite) linked to it, both
    /// killed afterwards.
    static func withCentralAndStore(
        _ database: TestDatabase,
        _ body: @Sendable (_ central: Linked, _ store: Linked) async throws -> Void
    ) async throws {
        try await database.withFresh { fresh async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let central = try Self.startCentral(fresh.url)
                defer { central.signal(SIGKILL) }
                let centralBase = "http://127.0.0.1:\(try await central.listeningPort())"
                let store = try Self.startStore(storeDatabase.url, central: centralBase)
                defer { store.signal(SIGKILL) }
                let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                // Signed-in calls wait until the store has central's users: before, every one
                // would be a failed sign-in, and five of them throttle the test's address.
                #expect(
                    try await Self.eventually(within: .seconds(60)) { try await ["TON", "ON"].contains(Self.status(storeBase, of: "VALLBLANCA")) }
                )
                try await body(
                    Linked(process: central, base: centralBase, database: fresh),
                    Linked(process: store, base: storeBase, database: storeDatabase)
                )
            }
        }
    }

    /// A running server: its process, its URL and its database.
    struct Linked: Sendable {
        let process: BackroomProcess.Running
        let base: String
        let database: FreshDatabase
    }

    /// Issue 24, point 3: a user disabled, deleted or stripped of a right on central is refused
    /// at the store within the link's latency, and a sale by them never reaches central.
    @Test(arguments: TestDatabase.allCases)
    func aUserRefusedAtHeadOfficeIsRefusedAtTheStore(_ database: TestDatabase) async throws {
        try await Self.withCentralAndStore(database) { central, store in
            for clerk in ["clerk-a", "clerk-b", "clerk-c"] {
                let added = try await BackroomProcess.run(
                    ["user", "add", clerk, "--password", "Till-7", "--right", "stock", "--shop", "10010", "--database", central.database.url]
                )
                #expect(added.status == 0, "\(added.stderr)")
            }
            // Signed in only once the store has them: failed sign-ins would throttle the test's address.
            #expect(
                try await Self.eventually {
                    try await store.database.withStorage { storage, _ in try await storage.user(named: "clerk-c") != nil }
                }
            )
            for clerk in ["clerk-a", "clerk-b", "clerk-c"] {
                #expect(try await Self.sell(store.base, "SKU-00007", key: "\(clerk)-1", user: "\(clerk):Till-7") == 201)
            }
            #expect(try await Self.json(.PATCH, "\(central.base)/api/v1/users/clerk-a", body: #"{"disabled": true}"#).status == 200)
            #expect(try await Self.json(.DELETE, "\(central.base)/api/v1/users/clerk-b").status == 204)
            #expect(try await Self.json(.PATCH, "\(central.base)/api/v1/users/clerk-c", body: #"{"rights": ["erpsync"]}"#).status == 200)
            // Looked at without selling, so that no sale slips through while the change travels.
            func lookUp(_ clerk: String) async throws -> UInt {
                var request = HTTPClientRequest(url: "\(store.base)/api/v1/shops/10010/stock?ids=SKU-00007")
                request.headers.add(name: "Authorization", value: "Basic " + Data("\(clerk):Till-7".utf8).base64EncodedString())
                return try await ProcessHTTP.execute(request, timeout: .seconds(30)).status.code
            }
            #expect(try await Self.eventually { try await lookUp("clerk-a") == 401 }, "disabled at head office")
            #expect(try await Self.eventually { try await lookUp("clerk-b") == 401 }, "deleted at head office")
            #expect(try await Self.eventually { try await lookUp("clerk-c") == 403 }, "no longer holds the right")
            #expect(try await Self.sell(store.base, "SKU-00007", key: "clerk-a-2", user: "clerk-a:Till-7") == 401)
            #expect(try await Self.sell(store.base, "SKU-00007", key: "clerk-b-2", user: "clerk-b:Till-7") == 401)
            #expect(try await Self.sell(store.base, "SKU-00007", key: "admin-1") == 201, "the others go on")
            #expect(
                try await Self.eventually { try await Self.onHand(central.base, "SKU-00007") == 996 },
                "three clerks' sales and the admin's, none after"
            )
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aStoreComesOnAndSalesMoveBothWaysOnce(_ database: TestDatabase) async throws {
        try await Self.withCentralAndStore(database) { central, store in

            #expect(try await Self.eventually { try await Self.status(store.base, of: "VALLBLANCA") == "ON" })
            #expect(try await Self.onHand(store.base, "First-Test") == 100)
            #expect(try await Self.status(store.base, of: "CENTRAL") == "ON", "a store's registry holds central, asked at its URL")
            #expect(
                try await Self.eventually(within: .seconds(5)) { try await Self.status(central.base, of: "VALLBLANCA") == "ON" },
                "refreshed by the store's own requests, without a probe (VALLBLANCA's registered URL is not the store's)"
            )

            let reserved = try await Self.reserve(store.base)
            #expect(reserved.status == 201, "forwarded to central")
            #expect(reserved.location?.hasPrefix("/servlets/services/reservation/") == true)
            let atp = try await Self.json(.GET, "\(central.base)/servlets/services/atp/10010/Second-Test")
            #expect((atp.json["data"] as? [[String: Any]])?.first?["reserved"] as? Int == 1, "held on central")
            #expect(
                try await Self.eventually { try await Self.stockRow(store.base, "Second-Test")?["reserved"] as? Int == 1 },
                "and known to the store"
            )
            let blocked = try await Self.json(
                .PUT,
                "\(central.base)/api/v1/shops/10010/stock",
                body: #"[{"id": "Sold-Out", "stock": 3, "blocked": 2}]"#
            )
            #expect(blocked.status == 200)
            #expect(
                try await Self.eventually {
                    let row = try await Self.stockRow(store.base, "Sold-Out")
                    return row?["blocked"] as? Int == 2 && row?["stock"] as? Int == 3
                },
                "blocked set on central reaches the store, on hand as a count movement"
            )
            let clerk = try await BackroomProcess.run(
                ["user", "add", "clerk", "--password", "Till-7", "--right", "stock", "--shop", "10010", "--database", central.database.url]
            )
            #expect(clerk.status == 0, "\(clerk.stderr)")
            #expect(
                try await Self.eventually { try await Self.sell(store.base, "SKU-00042", key: "clerk-1", user: "clerk:Till-7") == 201 },
                "a till user added at head office signs in at the store"
            )
            #expect(
                try await BackroomProcess.run(["preference", "set", "backroom.linkRetrySeconds", "7", "--database", central.database.url]).status == 0
            )
            #expect(
                try await Self.eventually {
                    try await store.database.withStorage { storage, _ in try await storage.storedPreference(.linkRetrySeconds) } == "7"
                },
                "and so does a preference changed there"
            )

            #expect(try await Self.sell(store.base, "First-Test", key: "till-1/1") == 201)
            #expect(try await Self.sell(store.base, "First-Test", key: "till-1/1") == 201, "the same sale sent again")
            #expect(try await Self.sell(central.base, "Second-Test", key: "web-1") == 201)
            #expect(try await Self.eventually { try await Self.onHand(central.base, "First-Test") == 99 })
            #expect(try await Self.eventually { try await Self.onHand(store.base, "Second-Test") == 4 })
            #expect(try await Self.markerArrives(from: store.base, to: central.base, product: "SKU-00001"))
            #expect(try await Self.markerArrives(from: central.base, to: store.base, product: "SKU-00002"))
            #expect(try await Self.onHand(central.base, "First-Test") == 99, "applied once")
            #expect(try await Self.onHand(store.base, "First-Test") == 99)
            #expect(try await Self.onHand(store.base, "Second-Test") == 4)

            let storeMetrics = try await Self.text("\(store.base)/metrics")
            #expect(storeMetrics.contains("backroom_link_status 3"), "ON")
            #expect(storeMetrics.contains("backroom_link_pushed_movements_total 3"), "the clerk's sale, the till's and the marker")
            let centralMetrics = try await Self.text("\(central.base)/metrics")
            #expect(centralMetrics.contains(#"backroom_sync_applied_movements_total{store="VALLBLANCA"} 3"#))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aResyncMakesAStoreLoadItsWholeStateAgainAndApplyNothingTwice(_ database: TestDatabase) async throws {
        try await Self.withCentralAndStore(database) { central, store in
            #expect(try await Self.eventually { try await Self.onHand(store.base, "First-Test") == 100 })
            let loads = { store.process.stdout.components(separatedBy: "loaded from central").count - 1 }
            #expect(loads() == 1)

            let list = try await SyncEngineProcessTests.agentList(central.base, "GetAllConnections")
            let link = try #require(list.first { $0["DisplayName"] as? String == "VALLBLANCA" }?["ErpConnectionId"] as? Int)
            let resync = try await SyncEngineProcessTests.agent(central.base, "ForceResync", #"{"ErpConnectionId": \#(link)}"#).json
            #expect(resync["IsOk"] as? Bool == true)
            #expect(
                resync["UserExplanation"] as? String == "Store VALLBLANCA will load from central again and pull its whole state at its next exchange."
            )
            #expect(try await Self.eventually { store.process.stdout.contains("central asked for a resync") })
            #expect(try await Self.eventually { loads() == 2 }, "its stock loaded again")
            #expect(try await Self.sell(central.base, "Second-Test", key: "web-1") == 201)
            #expect(try await Self.eventually { try await Self.onHand(store.base, "Second-Test") == 4 })
            #expect(try await Self.onHand(store.base, "First-Test") == 100, "nothing applied twice")
            #expect(try await Self.markerArrives(from: central.base, to: store.base, product: "SKU-00003"), "a pull after the resync")
            #expect(store.process.stdout.components(separatedBy: "central asked for a resync").count == 2, "once per resync")

            // The store's own link, resynced at the store.
            let own = try #require(try await SyncEngineProcessTests.agentList(store.base, "GetAllConnections").first?["ErpConnectionId"] as? Int)
            let local = try await SyncEngineProcessTests.agent(store.base, "ForceResync", #"{"ErpConnectionId": \#(own)}"#).json
            #expect(local["UserExplanation"] as? String == "This store will load from central again and pull its whole state at the next exchange.")
            #expect(try await Self.eventually { loads() == 3 })
            #expect(try await Self.markerArrives(from: central.base, to: store.base, product: "SKU-00004"), "a pull after the resync")
            #expect(try await Self.onHand(store.base, "Second-Test") == 4)
            #expect(try await Self.onHand(store.base, "First-Test") == 100, "nothing applied twice")
        }
    }

    static func text(_ url: String) async throws -> String {
        let response = try await ProcessHTTP.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        return String(buffer: try await response.body.collect(upTo: 1 << 22))
    }

    /// Central on `fresh`, quick to count a store offline, and a store on `storeDatabase` linked to
    /// it, once the store is ON: where the outage tests start, each stopping and starting them again.
    static func startOutage(
        central fresh: FreshDatabase,
        store storeDatabase: FreshDatabase
    ) async throws -> (central: BackroomProcess.Running, centralPort: Int, store: BackroomProcess.Running, storeBase: String) {
        try await Self.preferQuickOutages(fresh.url)
        let central = try Self.startCentral(fresh.url)
        let centralPort = try await central.listeningPort()
        let store = try Self.startStore(storeDatabase.url, central: "http://127.0.0.1:\(centralPort)")
        let storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
        #expect(try await Self.eventually { try await Self.status(storeBase, of: "VALLBLANCA") == "ON" })
        return (central, centralPort, store, storeBase)
    }

    @Test(arguments: TestDatabase.allCases)
    func aStoreSellsWhileCentralIsDownAndCatchesUpWhenItReturns(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let started = try await Self.startOutage(central: fresh, store: storeDatabase)
                var central = started.central
                let (centralPort, store, storeBase) = (started.centralPort, started.store, started.storeBase)
                let centralBase = "http://127.0.0.1:\(centralPort)"
                defer { store.signal(SIGKILL) }

                central.signal(SIGKILL)
                _ = await central.waitForExit()
                for index in 0..<5 {
                    #expect(try await Self.sell(storeBase, "SKU-00007", key: "offline-\(index)") == 201, "sales never stop")
                }
                #expect(try await Self.eventually { try await Self.status(storeBase, of: "VALLBLANCA") == "OFF" })
                let refused = try await Self.reserve(storeBase)
                #expect(refused.status == 503 && refused.codes == ["21008"])
                #expect(store.stdout.contains("from=ON to=TOFF"))
                #expect(try await Self.onHand(storeBase, "SKU-00007") == 995)
                // The store's engine has one connection, its link to central, and reports it down.
                let downRound = try await SyncEngineProcessTests.agent(storeBase, "ForceSyncAll").json
                #expect(
                    downRound["Status"] as? String == "Warning"
                        && (downRound["UserExplanation"] as? String)?.hasPrefix("Round done: 1 connection,") == true,
                    "\(downRound)"
                )

                central = try Self.startCentral(fresh.url, port: centralPort)
                defer { central.signal(SIGKILL) }
                _ = try await central.listeningPort()
                #expect(try await Self.eventually { try await Self.status(storeBase, of: "VALLBLANCA") == "ON" })
                #expect(store.stdout.contains("from=OFF to=TON"))
                #expect(try await Self.onHand(centralBase, "SKU-00007") == 995)
                #expect(try await Self.markerArrives(from: storeBase, to: centralBase, product: "SKU-00004"))
                #expect(try await Self.onHand(centralBase, "SKU-00007") == 995, "each offline sale arrived once")
                let connection = try await SyncEngineProcessTests.agent(storeBase, "GetConnection", #"{"ErpConnectionId": 1}"#).json
                #expect(connection["DisplayName"] as? String == "CENTRAL" && connection["ErpConnectorId"] as? Int == 2)
                #expect(connection["DisplayDescription"] as? String == "Central server at \(centralBase)")
                let upRound = try await SyncEngineProcessTests.agent(storeBase, "ForceSyncAll").json
                #expect(upRound["Status"] as? String == "Ok", "\(upRound)")
                #expect(try await SyncEngineProcessTests.agent(storeBase, "TestConnectionById", #"{"ErpConnectionId": 1}"#).status == 200)
            }
        }
    }

    /// A store away for longer than central keeps movements: what it missed is deleted, so it
    /// loads central's stock as it stands, the sales it made meanwhile on top, and sells on.
    @Test(arguments: TestDatabase.allCases)
    func aStoreAwayPastWhatCentralKeepsLoadsAfreshWithItsOwnSalesOnTop(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                let started = try await Self.startOutage(central: fresh, store: storeDatabase)
                var (central, store, storeBase) = (started.central, started.store, started.storeBase)
                let centralBase = "http://127.0.0.1:\(started.centralPort)"
                defer { store.signal(SIGKILL) }
                #expect(try await Self.eventually { try await Self.onHand(storeBase, "SKU-00007") == 1000 })

                // Central goes down and the store sells; then the store goes down too.
                central.signal(SIGKILL)
                _ = await central.waitForExit()
                for index in 0..<2 { #expect(try await Self.sell(storeBase, "SKU-00007", key: "away-\(index)") == 201) }
                store.signal(SIGKILL)
                _ = await store.waitForExit()

                // Central sells on, and retention deletes all it recorded (as after months).
                central = try Self.startCentral(fresh.url, port: started.centralPort)
                defer { central.signal(SIGKILL) }
                _ = try await central.listeningPort()
                for index in 0..<3 { #expect(try await Self.sell(centralBase, "SKU-00007", key: "web-\(index)") == 201) }
                try await fresh.withStorage { storage, _ async throws in
                    #expect(try await storage.deleteMovements(of: .central, through: try await storage.highestSequence(of: .central)) > 0)
                }

                store = try Self.startStore(storeDatabase.url, central: centralBase)
                storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(try await Self.eventually { store.stdout.contains("central asked for a resync") })
                #expect(try await Self.eventually { try await Self.onHand(storeBase, "SKU-00007") == 995 }, "central's 997, its own 2 on top")
                #expect(try await Self.eventually { try await Self.onHand(centralBase, "SKU-00007") == 995 })
                #expect(central.stdout.contains("a store was away longer than movements are kept"))
                #expect(try await Self.markerArrives(from: centralBase, to: storeBase, product: "SKU-00004"), "it pulls on")
                #expect(try await Self.markerArrives(from: storeBase, to: centralBase, product: "SKU-00004"), "and pushes on")
                #expect(try await Self.onHand(storeBase, "SKU-00007") == 995, "nothing counted twice")
            }
        }
    }

    /// The network between them fails while both keep running; the store is also killed and
    /// restarted during the outage. Afterwards both sides hold every sale of both, once.
    @Test(arguments: TestDatabase.allCases)
    func aCutLinkDelaysButLosesNothing(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            try await TestDatabase.sqlite.withFresh { storeDatabase async throws in
                try await Self.preferQuickOutages(fresh.url)
                let central = try Self.startCentral(fresh.url)
                defer { central.signal(SIGKILL) }
                let centralBase = "http://127.0.0.1:\(try await central.listeningPort())"
                let link = try await LinkCutter.start(to: try await central.listeningPort())
                var store = try Self.startStore(storeDatabase.url, central: "http://127.0.0.1:\(link.port)")
                defer { store.signal(SIGKILL) }
                var storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(try await Self.eventually { try await Self.status(storeBase, of: "VALLBLANCA") == "ON" })

                await link.cut()
                for index in 0..<3 {
                    #expect(try await Self.sell(storeBase, "SKU-00009", key: "cut-\(index)") == 201)
                }
                #expect(try await Self.sell(centralBase, "SKU-00009", key: "web-during-cut") == 201)
                #expect(try await Self.eventually { try await Self.status(storeBase, of: "VALLBLANCA") == "OFF" })

                store.signal(SIGKILL)
                _ = await store.waitForExit()
                store = try Self.startStore(storeDatabase.url, central: "http://127.0.0.1:\(link.port)")
                storeBase = "http://127.0.0.1:\(try await store.listeningPort())"
                #expect(try await Self.sell(storeBase, "SKU-00009", key: "after-restart") == 201)
                #expect(try await Self.onHand(storeBase, "SKU-00009") == 996)

                link.restore()
                #expect(try await Self.eventually { try await Self.status(storeBase, of: "VALLBLANCA") == "ON" })
                #expect(try await Self.eventually { try await Self.onHand(storeBase, "SKU-00009") == 995 })
                #expect(try await Self.eventually { try await Self.onHand(centralBase, "SKU-00009") == 995 })
                #expect(try await Self.markerArrives(from: storeBase, to: centralBase, product: "SKU-00005"))
                #expect(try await Self.markerArrives(from: centralBase, to: storeBase, product: "SKU-00006"))
                #expect(try await Self.onHand(storeBase, "SKU-00009") == 995)
                #expect(try await Self.onHand(centralBase, "SKU-00009") == 995)
                await link.close()
            }
        }
    }
}
