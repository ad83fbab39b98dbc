import BackroomCore
import Logging

/// Opens the storage a `--database` location names.
public enum StorageFactory {
    public static func open(_ location: DatabaseLocation, clock: BackroomClock, logger: Logger) throws -> any BackroomStorage {
        switch location {
        case .sqlite(let path): try SQLiteStorage(path: path, clock: clock)
        case .postgres(let postgres): PostgresStorage(location: postgres, clock: clock, logger: logger)
        }
    }
}
