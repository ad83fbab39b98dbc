import ArgumentParser
import BackroomCore
import BackroomStorage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo data: shops 10010 and 10020, their stock, users admin and tje0, servers CENTRAL and VALLBLANCA.",
        discussion: "Idempotent: what already exists is left as it is."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Server key recorded as the origin of the demo stock (env BACKROOM_SERVER_KEY; default CENTRAL).")
    var serverKey: String?

    func run() async throws {
        let origin = try ServerKeyOption.resolve(serverKey)
        let outcome = try await database.withStorage { storage in
            try await DemoLoader.load(into: storage, origin: origin)
        }
        print(
            "demo data loaded: \(outcome.stockLinesAdded) stock lines, users [\(outcome.usersAdded.joined(separator: ", "))], servers [\(outcome.serversAdded.joined(separator: ", "))] added"
        )
    }
}
