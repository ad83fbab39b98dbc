import ArgumentParser
import BackroomCore
import BackroomStorage
import Foundation

@main
struct Backroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backroom",
        abstract: "The back-office server of a multi-store retailer: central (head office) or store.",
        discussion: "Every option can also be set in the environment, e.g. BACKROOM_DATABASE, BACKROOM_PORT, BACKROOM_ROLE.",
        version: PeerSoftware.current.description,
        subcommands: [
            Serve.self, Migrate.self, Demo.self, UserCommand.self, TokenCommand.self,
            PreferenceCommand.self, ServerCommand.self, ShopCommand.self, StockCommand.self, ConnectionCommand.self, RetentionCommand.self,
            Backup.self, Restore.self,
        ]
    )

    /// Exit codes: 0 done, 1 the work failed (e.g. the database is unreachable), 2 a bad
    /// argument or configuration value. Every failure is one line on stderr, never a trace.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            fail(message(for: error), code: 2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error where exitCode(for: error) == .success {
            // A command with subcommands answers being run bare with its help.
            exit(withError: error)
        } catch let code as ExitCode {
            // The command has said why already (e.g. a shutdown that had to be cut short).
            Foundation.exit(code.rawValue)
        } catch let error as ConfigurationError {
            fail(error.description, code: 2)
        } catch let error as StorageError {
            if case .unreachable = error { fail(error.description, code: 1) }
            fail(error.description, code: 2)
        } catch {
            fail(String(describing: error), code: 1)
        }
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "failed"
        FileHandle.standardError.write(Data("backroom: \(line)\n".utf8))
        Foundation.exit(code)
    }
}
