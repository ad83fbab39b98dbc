import BackroomCore
import CSQLite

/// A value bound to, or read from, an SQLite statement.
enum SQLiteValue: Sendable, Equatable {
    case integer(Int64)
    case text(String)
    case null

    /// Many rows in one parameter, for statements that read them back with `json_each`.
    static func json(_ value: JSONValue) -> SQLiteValue {
        .text(JSONWriter.string(of: value))
    }
}

struct SQLiteRow: Sendable {
    let values: [SQLiteValue]

    func integer(_ column: Int) -> Int64? {
        if case .integer(let value) = values[column] { return value }
        return nil
    }

    func text(_ column: Int) -> String? {
        if case .text(let value) = values[column] { return value }
        return nil
    }
}

struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    var isConstraintViolation: Bool { code & 0xff == SQLITE_CONSTRAINT }
    var isBusy: Bool { code & 0xff == SQLITE_BUSY }
    var description: String { "SQLite error \(code): \(message)" }
}

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe: `SQLiteDatabase` hands each connection to one thread at a time, under a
/// lock, which is why it may cross isolation domains.
final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    init(path: String, busyTimeoutMillis: Int32) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: status, message: message)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMillis)
    }

    /// How long a write waits for another process's write lock before `SQLITE_BUSY`.
    func setBusyTimeout(millis: Int32) {
        sqlite3_busy_timeout(handle, millis)
    }

    /// Tells `tables` which rows this connection's statements change, table by table.
    func reportChanges(to tables: SQLiteChangedTables) {
        sqlite3_update_hook(
            handle,
            { context, _, _, table, _ in
                guard let context, let table else { return }
                Unmanaged<SQLiteChangedTables>.fromOpaque(context).takeUnretainedValue().note(table)
            },
            Unmanaged.passUnretained(tables).toOpaque()
        )
    }

    deinit {
        sqlite3_update_hook(handle, nil, nil)
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters (pragmas, DDL, transaction control).
    func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: status, message: text)
        }
    }

    @discardableResult
    func execute(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> Int {
        _ = try query(sql, bindings)
        return Int(sqlite3_changes(handle))
    }

    func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in bindings.enumerated() {
            try check(bind(value, to: statement, at: Int32(index + 1)))
        }
        var rows: [SQLiteRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { throw error(status) }
            let columns = sqlite3_column_count(statement)
            rows.append(SQLiteRow(values: (0..<columns).map { column(statement, $0) }))
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
        guard let statement else { throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement: \(sql)") }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .integer(let number): sqlite3_bind_int64(statement, index, number)
        case .null: sqlite3_bind_null(statement, index)
        case .text(let text): sqlite3_bind_text(statement, index, text, -1, Self.transient)
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, index))
        case SQLITE_NULL: .null
        default: .text(String(cString: sqlite3_column_text(statement, index)))
        }
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK else { throw error(status) }
    }

    private func error(_ status: Int32) -> any Error {
        let message = String(cString: sqlite3_errmsg(handle))
        if message == StorageError.stockBoundsCheck { return StorageError.stockOutOfBounds }
        return SQLiteError(code: sqlite3_extended_errcode(handle), message: message)
    }

    /// SQLite copies the bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
