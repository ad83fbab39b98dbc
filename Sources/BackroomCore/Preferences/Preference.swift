/// The preferences a retailer can tune at run time, with their defaults and allowed ranges.
///
/// Values are stored as text and read on every use, so a change needs no restart; unknown
/// names are refused so that a typo cannot silently leave a default in force. The `OBMOBC_`
/// ones have the original suite's names, units and defaults, so that an operator can carry
/// their values over unchanged.
public enum Preference: String, CaseIterable, Sendable {
    case serverStatusMaxAge = "OBMOBC_ServerStatusMaxAge"
    case pingPeriodicity = "OBMOBC_Ping_Periodicity"
    case transitionToOfflineWait = "OBMOBC_TransitionToOfflineWait"
    case linkRetrySeconds = "backroom.linkRetrySeconds"
    case connectionTimeout = "OBMOBC_CONNECTION_TIMEOUT_REQUEST"
    case readTimeout = "OBMOBC_READ_TIMEOUT_REQUEST"
    case numberOfRequestRetries = "OBMOBC_NumberOfRequestRetries"
    case readTimeoutForcesOffline = "OBMOBC_ReadTimeoutForcesOffline"
    case reservationLockTimeout = "reservation.lockTimeoutMillis"
    /// Failed sign-ins an address (or a user there) may make in 15 minutes before it is throttled.
    case signInFailureLimit = "backroom.signInFailureLimit"
    /// Days a finished reservation (committed, cancelled or expired) is kept after it finished.
    case finishedReservationRetention = "backroom.retention.finishedReservationDays"
    /// Days a movement is kept at least; it goes only once every consumer has it (`MovementRetention`).
    case movementRetention = "backroom.retention.movementDays"

    /// What a value counts. A flag (`Y` / `N`) is held as 1 / 0.
    public enum Unit: String, Sendable {
        case milliseconds = "ms"
        case seconds = "s"
        case minutes = "min"
        case days
        case count
        case flag = "Y/N"
    }

    public var unit: Unit {
        switch self {
        case .serverStatusMaxAge, .transitionToOfflineWait, .reservationLockTimeout: .milliseconds
        case .pingPeriodicity, .linkRetrySeconds, .connectionTimeout: .seconds
        case .readTimeout: .minutes
        case .finishedReservationRetention, .movementRetention: .days
        case .numberOfRequestRetries, .signInFailureLimit: .count
        case .readTimeoutForcesOffline: .flag
        }
    }

    public var defaultValue: Int {
        switch self {
        case .serverStatusMaxAge: 300_000
        case .pingPeriodicity: 300
        case .transitionToOfflineWait: 300_000
        case .linkRetrySeconds: 60
        case .connectionTimeout: 5
        case .readTimeout: 15
        case .numberOfRequestRetries: 3
        case .readTimeoutForcesOffline: 0
        case .reservationLockTimeout: 5000
        case .signInFailureLimit: 5
        case .finishedReservationRetention: 30
        case .movementRetention: 90
        }
    }

    public var allowedRange: ClosedRange<Int> {
        switch self {
        case .serverStatusMaxAge: 0...86_400_000
        case .pingPeriodicity: 1...86_400
        case .transitionToOfflineWait: 0...600_000
        case .linkRetrySeconds: 1...86_400
        case .connectionTimeout: 1...3_600
        case .readTimeout: 1...60
        case .numberOfRequestRetries: 0...10
        case .readTimeoutForcesOffline: 0...1
        case .reservationLockTimeout: 1...600_000
        case .signInFailureLimit: 1...100_000
        case .finishedReservationRetention, .movementRetention: 1...36_500
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
        if unit == .flag {
            switch text {
            case "Y": return 1
            case "N": return 0
            default: throw ConfigurationError("preference \(rawValue) takes Y or N, got '\(text)'")
            }
        }
        guard let value = Int(text), allowedRange.contains(value) else {
            let what = unit == .count ? "a whole number" : "a whole number of \(unit.rawValue)"
            throw ConfigurationError(
                "preference \(rawValue) takes \(what) from \(allowedRange.lowerBound) to \(allowedRange.upperBound), got '\(text)'"
            )
        }
        return value
    }

    /// A valid value as it is stored and shown: `Y` / `N` for a flag, else its digits.
    public func text(of value: Int) -> String {
        unit == .flag ? (value == 0 ? "N" : "Y") : String(value)
    }

    /// The value in force given what is stored; a stored value that no longer validates falls
    /// back to the default rather than stopping the server.
    public func effectiveValue(stored: String?) -> Int {
        stored.flatMap { try? validate($0) } ?? defaultValue
    }

    /// A value of a time preference as a duration.
    public func duration(of value: Int) -> Duration {
        switch unit {
        case .milliseconds: .milliseconds(value)
        case .minutes: .seconds(value * 60)
        case .days: .seconds(value * 86_400)
        case .seconds, .count, .flag: .seconds(value)
        }
    }
}
