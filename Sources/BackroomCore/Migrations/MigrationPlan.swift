/// Decides which schema migrations a database still needs, from the versions this binary knows
/// and the versions the database has recorded.
public enum MigrationPlan {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The database was migrated by a newer Backroom; running an older binary on it could
        /// corrupt data it does not understand.
        case databaseIsNewer(unknownVersions: [Int])
        case versionsNotAscending

        public var description: String {
            switch self {
            case .databaseIsNewer(let versions):
                "the database has schema versions \(versions.map(String.init).joined(separator: ", ")) that this backroom does not know; upgrade backroom"
            case .versionsNotAscending:
                "migrations must have unique, ascending versions"
            }
        }
    }

    public static func pending(known: [Int], applied: Set<Int>) throws(Problem) -> [Int] {
        guard zip(known, known.dropFirst()).allSatisfy({ $0 < $1 }) else { throw .versionsNotAscending }
        let unknown = applied.subtracting(known).sorted()
        guard unknown.isEmpty else { throw .databaseIsNewer(unknownVersions: unknown) }
        return known.filter { !applied.contains($0) }
    }
}
