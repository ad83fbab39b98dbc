import CSQLite
import Foundation

/// Copies of an SQLite database made and put back with SQLite's online backup, so that a copy
/// is one consistent file even while a server writes to the database.
public enum SQLiteCopy {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Copies `database` into `file`, which appears only once complete, checked and on disk
    /// (an older copy of that name is replaced). Returns the copy's size in bytes.
    @discardableResult
    public static func backUp(_ database: String, to file: String) throws(Failure) -> Int64 {
        guard FileManager.default.fileExists(atPath: database) else { throw Failure(description: "there is no database at \(database)") }
        let partial = "\(file).partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let source = try Handle(database, flags: SQLITE_OPEN_READONLY)
            let destination = try Handle(partial, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try copy(from: source, to: destination)
            // One self-contained file: no write-ahead log beside it.
            try destination.run("PRAGMA journal_mode = DELETE")
            try destination.check()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try durablyRename(partial, to: file)
        return (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
    }

    /// Puts the copy `file` back as `database`'s content, after checking that it is a whole
    /// Backroom database. Refused while a server has the database open (`ServingLock`).
    public static func restore(_ file: String, into database: String) throws(Failure) {
        let source = try Handle(file, flags: SQLITE_OPEN_READONLY)
        try source.check()
        guard try source.single("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") == "1" else {
            throw Failure(description: "\(file) is not a Backroom database")
        }
        let destination = try Handle(database, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try copy(from: source, to: destination)
        try destination.check()
    }

    private static func copy(from source: Handle, to destination: Handle) throws(Failure) {
        guard let backup = sqlite3_backup_init(destination.pointer, "main", source.pointer, "main") else {
            throw Failure(description: "the copy cannot start: \(destination.message)")
        }
        var status: Int32
        repeat {
            status = sqlite3_backup_step(backup, -1)
            // A writer holds the lock a moment: the copy starts again from a consistent state.
            if status == SQLITE_BUSY || status == SQLITE_LOCKED { usleep(50_000) }
        } while status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else { throw Failure(description: "the copy failed: \(String(cString: sqlite3_errstr(status)))") }
    }

    private static func durablyRename(_ partial: String, to file: String) throws(Failure) {
        let descriptor = open(partial, O_RDONLY)
        defer { if descriptor >= 0 { close(descriptor) } }
        // Password hashes and sealed secrets: readable by the owner only, as the database is.
        guard descriptor >= 0, fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0, rename(partial, file) == 0 else {
            throw Failure(description: "\(file) cannot be written: \(String(cString: strerror(errno)))")
        }
        let folder = open((file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// A connection of its own, closed when done with.
    private final class Handle {
        let pointer: OpaquePointer
        let path: String

        init(_ path: String, flags: Int32) throws(Failure) {
            var handle: OpaquePointer?
            let status = sqlite3_open_v2(path, &handle, flags, nil)
            guard status == SQLITE_OK, let handle else {
                sqlite3_close_v2(handle)
                throw Failure(description: "\(path) cannot be opened: \(String(cString: sqlite3_errstr(status)))")
            }
            pointer = handle
            self.path = path
            sqlite3_busy_timeout(handle, 10_000)
        }

        deinit { sqlite3_close_v2(pointer) }

        var message: String { String(cString: sqlite3_errmsg(pointer)) }

        func run(_ sql: String) throws(Failure) {
            guard sqlite3_exec(pointer, sql, nil, nil, nil) == SQLITE_OK else { throw Failure(description: "\(path): \(message)") }
        }

        /// The first column of the first row, as text.
        func single(_ sql: String) throws(Failure) -> String? {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(pointer, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw Failure(description: "\(path) cannot be read: \(message)")
            }
            defer { sqlite3_finalize(statement) }
            guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
            return String(cString: text)
        }

        /// SQLite's own check of the file's structure.
        func check() throws(Failure) {
            let verdict = try single("PRAGMA quick_check")
            guard verdict == "ok" else { throw Failure(description: "\(path) is damaged: \(verdict ?? "no answer to the check")") }
        }
    }
}

/// A server's hold on its SQLite database file for as long as it runs, so that `backroom
/// restore` does not put a copy under it. An advisory lock (flock) on a descriptor that stays
/// open: SQLite's own locks are of another kind and unaffected.
public enum ServingLock {
    /// Taken by a server, shared with other servers on the same file; fails while a restore runs.
    public static func holdShared(_ database: String) throws(SQLiteCopy.Failure) {
        try hold(database, LOCK_SH, refusal: "a restore of \(database) is under way")
    }

    /// Taken by a restore; fails while a server has the database open.
    public static func holdExclusive(_ database: String) throws(SQLiteCopy.Failure) {
        try hold(database, LOCK_EX, refusal: "a server has \(database) open: stop it before restoring")
    }

    private static func hold(_ database: String, _ kind: Int32, refusal: String) throws(SQLiteCopy.Failure) {
        // Made if missing, as the database itself would be.
        let descriptor = open(database, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SQLiteCopy.Failure(description: "\(database) cannot be opened: \(String(cString: strerror(errno)))") }
        guard flock(descriptor, kind | LOCK_NB) == 0 else {
            close(descriptor)
            throw SQLiteCopy.Failure(description: refusal)
        }
        // Never closed: closing a descriptor of the file would drop SQLite's locks on it in this process.
    }
}
