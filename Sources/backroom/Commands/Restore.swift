import ArgumentParser
import BackroomCore
import BackroomStorage
import Foundation

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a copy made by `backroom backup` back as a stopped server's SQLite database.",
        discussion: """
            The copy is checked first. Afterwards the database notes that it was restored: a store squares its own \
            sales with central at its next start (nothing is lost, nothing counted twice), and a central tells its \
            stores which of its own movements the copy lacks. After restoring a database by other means (a file \
            copy, pg_restore), run with --already-restored to note the same.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The copy to put back.", valueName: "file"))
    var from: String?

    @Flag(name: .long, help: "The database was restored by other means: only note that it was.")
    var alreadyRestored = false

    func validate() throws {
        guard (from != nil) != alreadyRestored else {
            throw ValidationError("give either --from FILE or --already-restored")
        }
    }

    func run() async throws {
        let location = try database.location()
        if let from {
            guard case .sqlite(let path) = location else { throw ConfigurationError(RestorePolicy.postgresBackup) }
            try ServingLock.holdExclusive(path)
            try SQLiteCopy.restore(from, into: path)
            print("restored \(path) from \(from)")
        }
        let mark = try await database.withStorage { storage in try await storage.recordRestore(id: RestorePolicy.newMarkID()) }
        let heads = mark.heads.map { "\($0.key):\($0.value)" }.sorted().joined(separator: ", ")
        print("noted restore \(mark.id) at \(heads.isEmpty ? "no movements of its own" : heads)")
    }
}
