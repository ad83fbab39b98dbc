import BackroomCore
import Testing

struct DatabaseLocationTests {
    @Test func sqliteTakesAPath() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:backroom.sqlite") == .sqlite(path: "backroom.sqlite"))
        #expect(try DatabaseLocation(parsing: "sqlite:/var/lib/backroom/db.sqlite") == .sqlite(path: "/var/lib/backroom/db.sqlite"))
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "sqlite:") }
    }

    @Test func postgresURLsAreTakenApart() throws {
        guard case .postgres(let location) = try DatabaseLocation(parsing: "postgres://shop:p%40ss@db.example:6543/backroom?sslmode=require") else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.user == "shop")
        #expect(location.password == "p@ss")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.database == "backroom")
        #expect(location.tls == .require)
    }

    @Test func postgresDefaultsFollowLibpq() throws {
        guard case .postgres(let location) = try DatabaseLocation(parsing: "postgresql://shop@localhost") else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.port == 5432)
        #expect(location.database == "shop")
        #expect(location.password == nil)
        #expect(location.tls == .prefer)
    }

    @Test func severalHostsAreTriedInOrderAndMayHaveToTakeWrites() throws {
        let text = "postgres://shop:p%40ss@h1:5432,h2:5433,[::1]/backroom?sslmode=disable&target_session_attrs=read-write"
        guard case .postgres(let location) = try DatabaseLocation(parsing: text) else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.endpoints.map(\.description) == ["h1:5432", "h2:5433", "[::1]:5432"])
        #expect(location.requiresPrimary && location.tls == .disable && location.password == "p@ss" && location.database == "backroom")
        #expect(location.description == "postgres://shop:***@h1:5432,h2:5433,[::1]:5432/backroom?target_session_attrs=read-write")
        guard case .postgres(let any) = try DatabaseLocation(parsing: "postgres://shop@h1,h2/backroom?target_session_attrs=any") else { return }
        #expect(any.endpoints.map(\.port) == [5432, 5432] && !any.requiresPrimary)
    }

    @Test func descriptionsNeverShowThePassword() throws {
        let location = try DatabaseLocation(parsing: "postgres://shop:hunter2@db:5432/backroom")
        #expect(location.description == "postgres://shop:***@db:5432/backroom")
    }

    @Test(arguments: [
        "mysql://shop:hunter2@db/backroom",
        "postgres://db:5432/backroom",
        "postgres://shop:hunter2@db:99999/backroom",
        "postgres://shop:hunter2@db/backroom?sslmode=sometimes",
        "postgres://shop:hunter2@h1:5432,h2:99999/backroom",
        "postgres://shop:hunter2@h1,h2:x/backroom",
        "postgres://shop:hunter2@h1,h2/backroom?target_session_attrs=standby",
    ])
    func badLocationsAreRefusedWithoutShowingThePassword(_ text: String) {
        do {
            _ = try DatabaseLocation(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
