import ArgumentParser
import BackroomCore
import BackroomStorage

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite database into one file, consistent while the server runs and sells.",
        discussion: """
            The copy appears only once it is complete and checked; an older copy of the same name is replaced. \
            Keep the secret key file (DATABASE.key beside the database) safe apart from it: the copy's sealed \
            secrets open only with it. With PostgreSQL, use PostgreSQL's own tools (see docs/operations.md).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The file the copy is written to.", valueName: "file"))
    var to: String

    func run() async throws {
        switch try database.location() {
        case .postgres:
            throw ConfigurationError(RestorePolicy.postgresBackup)
        case .sqlite(let path):
            let bytes = try SQLiteCopy.backUp(path, to: to)
            print("copied \(path) to \(to) (\(bytes) bytes)")
        }
    }
}
