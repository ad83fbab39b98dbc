import BackroomCore
import Testing

struct PreferenceTests {
    @Test func namesUnitsAndDefaultsAreTheOriginalSuites() {
        let expected: [(Preference, Preference.Unit, Int)] = [
            (.serverStatusMaxAge, .milliseconds, 300_000), (.pingPeriodicity, .seconds, 300),
            (.transitionToOfflineWait, .milliseconds, 300_000), (.linkRetrySeconds, .seconds, 60),
            (.connectionTimeout, .seconds, 5), (.readTimeout, .minutes, 15), (.numberOfRequestRetries, .count, 3),
            (.readTimeoutForcesOffline, .flag, 0), (.reservationLockTimeout, .milliseconds, 5000), (.signInFailureLimit, .count, 5),
        ]
        for (preference, unit, value) in expected {
            #expect(preference.unit == unit && preference.defaultValue == value, "\(preference)")
        }
        #expect(Preference.readTimeoutForcesOffline.text(of: Preference.readTimeoutForcesOffline.defaultValue) == "N")
        #expect(Preference.transitionToOfflineWait.allowedRange == 0...600_000)
    }

    @Test func unknownNamesAreRefused() {
        #expect(throws: ConfigurationError.self) { try Preference.named("OBMOBC_Ping_Periodicty") }
        #expect((try? Preference.named("reservation.lockTimeoutMillis")) == .reservationLockTimeout)
        #expect((try? Preference.named("OBMOBC_NumberOfRequestRetries")) == .numberOfRequestRetries)
    }

    @Test func valuesOutsideTheRangeAreRefused() throws {
        #expect(try Preference.transitionToOfflineWait.validate("600000") == 600_000)
        #expect(throws: ConfigurationError.self) { try Preference.transitionToOfflineWait.validate("600001") }
        #expect(throws: ConfigurationError.self) { try Preference.readTimeout.validate("61") }
        #expect(throws: ConfigurationError.self) { try Preference.pingPeriodicity.validate("0") }
        #expect(throws: ConfigurationError.self) { try Preference.pingPeriodicity.validate("five") }
        #expect(try Preference.numberOfRequestRetries.validate("0") == 0)
    }

    @Test func aFlagIsYOrN() throws {
        #expect(try Preference.readTimeoutForcesOffline.validate("Y") == 1)
        #expect(try Preference.readTimeoutForcesOffline.validate("N") == 0)
        #expect(throws: ConfigurationError.self) { try Preference.readTimeoutForcesOffline.validate("1") }
        #expect(Preference.readTimeoutForcesOffline.text(of: 1) == "Y")
        #expect(Preference.readTimeoutForcesOffline.effectiveValue(stored: "Y") == 1)
    }

    @Test func timesBecomeDurationsInTheirUnit() {
        #expect(Preference.readTimeout.duration(of: 2) == .seconds(120))
        #expect(Preference.transitionToOfflineWait.duration(of: 1500) == .milliseconds(1500))
        #expect(Preference.connectionTimeout.duration(of: 5) == .seconds(5))
    }

    @Test func anUnusableStoredValueFallsBackToTheDefault() {
        #expect(Preference.readTimeout.effectiveValue(stored: nil) == 15)
        #expect(Preference.readTimeout.effectiveValue(stored: "30") == 30)
        #expect(Preference.readTimeout.effectiveValue(stored: "-1") == 15)
    }

    @Test func retentionIsCountedInDaysAndOnByDefault() {
        #expect(Preference.finishedReservationRetention.defaultValue == 30 && Preference.movementRetention.defaultValue == 90)
        #expect(Preference.movementRetention.unit == .days && Preference.movementRetention.duration(of: 2) == .seconds(172_800))
        #expect(throws: ConfigurationError("preference backroom.retention.movementDays takes a whole number of days from 1 to 36500, got '0'")) {
            try Preference.movementRetention.validate("0")
        }
    }
}
