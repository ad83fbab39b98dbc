/// The preferences a retailer can tune at run time, with their defaults and allowed ranges.
///
/// Values are stored as text and read on every use, so a change needs no restart; unknown
/// names are refused so that a typo cannot silently leave a default in force.
public enum Preference: String, CaseIterable, Sendable {
    case serverStatusMaxAge = "OBMOBC_ServerStatusMaxAge"
    case pingPeriodicity = "OBMOBC_Ping_Periodicity"
    case transitionToOfflineWait = "OBMOBC_TransitionToOfflineWait"
    case linkRetrySeconds = "backroom.linkRetrySeconds"
    case connectionTimeout = "OBMOBC_CONNECTION_TIMEOUT_REQUEST"
    case readTimeout = "OBMOBC_READ_TIMEOUT_REQUEST"
    case reservationLockTimeout = "reservation.lockTimeoutMillis"

    public var defaultValue: Int {
        switch self {
        case .serverStatusMaxAge: 300_000
        case .pingPeriodicity: 300
        case .transitionToOfflineWait: 5
        case .linkRetrySeconds: 60
        case .connectionTimeout: 5
        case .readTimeout: 15
        case .reservationLockTimeout: 5000
        }
    }

    public var allowedRange: ClosedRange<Int> {
        switch self {
        case .serverStatusMaxAge: 0...86_400_000
        case .pingPeriodicity: 1...86_400
        case .transitionToOfflineWait: 0...10
        case .linkRetrySeconds: 1...86_400
        case .connectionTimeout, .readTimeout: 1...3_600
        case .reservationLockTimeout: 1...600_000
        }
    }

    public var unit: String {
        switch self {
        case .serverStatusMaxAge, .reservationLockTimeout: "ms"
        case .pingPeriodicity, .linkRetrySeconds, .connectionTimeout, .readTimeout: "s"
        case .transitionToOfflineWait: "min"
        }
    }

    public static func named(_ name: String) throws(ConfigurationError) -> Preference {
        guard let preference = Preference(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError("unknown preference '\(name)'; known preferences: \(known)")
        }
        return preference
    }

    /// Checks a value before it is stored, so that what is stored is always usable.
    public func validate(_ text: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text), allowedRange.contains(value) else {
            throw ConfigurationError(
                "preference \(rawValue) takes a whole number of \(unit) from \(allowedRange.lowerBound) to \(allowedRange.upperBound), got '\(text)'"
            )
        }
        return value
    }

    /// The value in force given what is stored; a stored value that no longer validates falls
    /// back to the default rather than stopping the server.
    public func effectiveValue(stored: String?) -> Int {
        stored.flatMap { try? validate($0) } ?? defaultValue
    }
}
