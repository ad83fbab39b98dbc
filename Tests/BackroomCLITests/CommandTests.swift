import BackroomCore
import BackroomSecurity
import BackroomStorage
import BackroomTestSupport
import Foundation
import Testing

struct CommandTests {
    @Test(arguments: TestDatabase.allCases)
    func commandsRecordWhatTheySayAndStoreNoSecretInClear(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let db = ["--database", fresh.url]
            let demo = try await BackroomProcess.run(["demo"] + db)
            #expect(demo.status == 0, "\(demo.stderr)")
            #expect(demo.stdout.contains("10004 stock lines"))
            #expect(try await BackroomProcess.run(["demo"] + db).stdout.contains("0 stock lines"))

            let add = try await BackroomProcess.run(
                ["user", "add", "clerk", "--password", "S3cret-pass", "--right", "124", "--right", "atp", "--shop", "10010"] + db
            )
            #expect(add.status == 0, "\(add.stderr)")
            let duplicate = try await BackroomProcess.run(["user", "add", "clerk", "--password", "x"] + db)
            #expect(duplicate.status == 2)
            #expect(duplicate.stderr == "backroom: user 'clerk' already exists\n")

            let tokenRun = try await BackroomProcess.run(["token", "create", "--user", "clerk"] + db)
            #expect(tokenRun.status == 0, "\(tokenRun.stderr)")
            let token = tokenRun.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.count == 46)

            let serverRun = try await BackroomProcess.run(["server", "add", "NORTE", "--url", "http://127.0.0.1:9", "--shop", "10030"] + db)
            #expect(serverRun.status == 0, "\(serverRun.stderr)")
            let storeToken = serverRun.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(storeToken.count == 46)

            #expect(try await BackroomProcess.run(["preference", "set", "OBMOBC_Ping_Periodicity", "60"] + db).status == 0)
            let flag = try await BackroomProcess.run(["preference", "set", "OBMOBC_ReadTimeoutForcesOffline", "Y"] + db)
            #expect(flag.status == 0 && flag.stdout == "OBMOBC_ReadTimeoutForcesOffline = Y\n", "\(flag.stdout)")
            #expect(
                try await BackroomProcess.run(["stock", "set", "--shop", "10010", "--product", "New-One", "--qty", "12", "--blocked", "2"] + db)
                    .status == 0
            )

            try await fresh.withStorage { storage, _ async throws in
                #expect(try await storage.storedPreference(.readTimeoutForcesOffline) == "Y")
                let clerk = try #require(try await storage.user(named: "clerk"))
                #expect(clerk.principal.rights == [.reservation, .atp])
                #expect(clerk.principal.shops == [10010])
                #expect(try await PasswordHasher.verify("S3cret-pass", against: clerk.passwordHash))
                #expect(try await storage.principal(forAPIToken: SecretToken.fingerprint(token))?.name == "clerk")
                let norte = try #require(try await storage.server(key: try ServerKey("NORTE")))
                #expect(norte.tokenFingerprint == SecretToken.fingerprint(storeToken))
                #expect(norte.registration.shops == [10030])
                #expect(try await storage.storedPreference(.pingPeriodicity) == "60")
                #expect(
                    try await storage.stockLevel(shop: 10010, product: "New-One")
                        == StockLevel(shop: 10010, product: "New-One", onHand: 12, blocked: 2)
                )
            }

            if let folder = fresh.folder {
                let files = try FileManager.default.contentsOfDirectory(atPath: folder)
                #expect(!files.isEmpty)
                for file in files {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(file))
                    for secret in ["S3cret-pass", "Tje0", token, storeToken, DemoData.vallblancaToken] {
                        #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) stored in clear in \(file)")
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func erpConnectionsAreAddedListedAndRemoved(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let db = ["--database", fresh.url]
            #expect(try await BackroomProcess.run(["migrate"] + db).status == 0)
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("erp-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            for name in ["erp-files", "b"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
            }
            let added = try await BackroomProcess.run(["connection", "add", "erp-files", "--folder", root.path + "/x/../erp-files"] + db)
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout == "connection 1 added: ERP (erp-files)\n")
            let nowhere = try await BackroomProcess.run(
                ["connection", "add", "--type", "erp-files", "--folder", root.path + "/none", "--name", "N"] + db
            )
            #expect(nowhere.status == 2)
            #expect(nowhere.stderr == "backroom: folder: \(root.path)/none is not an existing folder.\n")
            let again = try await BackroomProcess.run(["connection", "add", "erp-files", "--folder", root.path + "/b"] + db)
            #expect(again.status == 2)
            #expect(again.stderr == "backroom: DisplayName: another connection of this connector is named ERP.\n")
            let backup = try await BackroomProcess.run(
                ["connection", "add", "--type", "erp-files", "--folder", root.path + "/b", "--name", "Backup"] + db
            )
            // PostgreSQL's sequence gave the refused duplicate a number too.
            let id = try #require(backup.stdout.split(separator: " ").dropFirst().first.map(String.init))
            #expect(try await BackroomProcess.run(["connection", "remove", id] + db).stdout == "connection \(id) deleted\n")
            let missing = try await BackroomProcess.run(["connection", "remove", "9"] + db)
            #expect(missing.status == 2 && missing.stderr == "backroom: there is no connection 9\n")
            let listed = try await BackroomProcess.run(["connection", "list"] + db)
            #expect(
                listed.stdout == """
                    1\terp-files\tERP\tactive\t\(root.path)/erp-files\tno priority
                    \(id)\terp-files\tBackup\tdeleted\t\(root.path)/b\tno priority

                    """
            )
            let audited = try await fresh.withStorage { storage, _ in try await storage.auditEntries(before: nil, limit: 10) }
            #expect(
                audited.map(\.action) == ["connection.delete", "connection.create", "connection.create"],
                "refusals change nothing, so log nothing"
            )
            #expect(audited.allSatisfy { $0.channel == .commandLine && $0.origin == "local" && $0.actor.hasPrefix("cli:") })
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func twoMigrateProcessesAtOnceBothSucceed(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            async let first = BackroomProcess.run(["migrate", "--database", fresh.url])
            async let second = BackroomProcess.run(["migrate", "--database", fresh.url])
            let outcomes = try await [first, second]
            for outcome in outcomes {
                #expect(outcome.status == 0, "\(outcome.stderr)")
                #expect(outcome.stdout.contains("schema version \(latestSchemaVersion)"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aShopIsAddedOnceAndThenTakesStock(_ database: TestDatabase) async throws {
        try await database.withFresh { fresh async throws in
            let db = ["--database", fresh.url]
            let before = try await BackroomProcess.run(["stock", "set", "--shop", "20001", "--product", "P1", "--qty", "5"] + db)
            #expect(before.status != 0, "no shop 20001 yet")
            let add = try await BackroomProcess.run(["shop", "add", "20001", "--name", "Tienda Norte"] + db)
            #expect(add.status == 0 && add.stdout == "shop 20001 added: Tienda Norte\n", "\(add.stderr)")
            let again = try await BackroomProcess.run(["shop", "add", "20001", "--name", "Other"] + db)
            #expect(again.status == 2 && again.stderr == "backroom: shop 20001 already exists (Tienda Norte)\n", "\(again.stderr)")
            for bad in [["0", "--name", "Zero"], ["20002", "--name", ""]] {
                #expect(try await BackroomProcess.run(["shop", "add"] + bad + db).status == 2, "\(bad)")
            }
            #expect(try await BackroomProcess.run(["stock", "set", "--shop", "20001", "--product", "P1", "--qty", "5"] + db).status == 0)
            try await fresh.withStorage { storage, _ async throws in
                #expect(try await storage.shops([20001, 20002]) == [Shop(id: 20001, name: "Tienda Norte")])
                #expect(try await storage.stockLevel(shop: 20001, product: "P1")?.onHand == 5)
            }
        }
    }
}
