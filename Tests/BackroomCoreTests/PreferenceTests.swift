import BackroomCore
import Testing

struct PreferenceTests {
    @Test func defaultsAreThoseOfTheContract() {
        #expect(Preference.serverStatusMaxAge.defaultValue == 300_000)
        #expect(Preference.pingPeriodicity.defaultValue == 300)
        #expect(Preference.transitionToOfflineWait.defaultValue == 5)
        #expect(Preference.linkRetrySeconds.defaultValue == 60)
        #expect(Preference.connectionTimeout.defaultValue == 5)
        #expect(Preference.readTimeout.defaultValue == 15)
        #expect(Preference.reservationLockTimeout.defaultValue == 5000)
    }

    @Test func unknownNamesAreRefused() {
        #expect(throws: ConfigurationError.self) { try Preference.named("OBMOBC_Ping_Periodicty") }
        #expect((try? Preference.named("reservation.lockTimeoutMillis")) == .reservationLockTimeout)
    }

    @Test func valuesOutsideTheRangeAreRefused() throws {
        #expect(try Preference.transitionToOfflineWait.validate("10") == 10)
        #expect(throws: ConfigurationError.self) { try Preference.transitionToOfflineWait.validate("11") }
        #expect(throws: ConfigurationError.self) { try Preference.pingPeriodicity.validate("0") }
        #expect(throws: ConfigurationError.self) { try Preference.pingPeriodicity.validate("five") }
    }

    @Test func anUnusableStoredValueFallsBackToTheDefault() {
        #expect(Preference.readTimeout.effectiveValue(stored: nil) == 15)
        #expect(Preference.readTimeout.effectiveValue(stored: "30") == 30)
        #expect(Preference.readTimeout.effectiveValue(stored: "-1") == 15)
    }
}
