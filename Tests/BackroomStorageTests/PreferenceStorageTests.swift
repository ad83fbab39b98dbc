import BackroomCore
import BackroomStorage
import BackroomTestSupport
import Testing

struct PreferenceStorageTests {
    @Test(arguments: TestDatabase.allCases)
    func aPreferenceIsStoredAsItsTextAndReplaced(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            #expect(try await storage.storedPreference(.pingPeriodicity) == nil)
            try await storage.setPreference(.pingPeriodicity, value: 30)
            try await storage.setPreference(.pingPeriodicity, value: 60)
            try await storage.setPreference(.readTimeoutForcesOffline, value: 1)
            #expect(try await storage.storedPreference(.pingPeriodicity) == "60")
            #expect(try await storage.storedPreference(.readTimeoutForcesOffline) == "Y")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyStoredPreferenceIsReadAtOnceAndUnknownNamesAreLeftOut(_ database: TestDatabase) async throws {
        try await database.withStorage { storage, _ async throws in
            #expect(try await storage.storedPreferences().isEmpty)
            try await storage.setPreference(.pingPeriodicity, value: 30)
            try await storage.setPreference(.linkRetrySeconds, value: 7)
            let stored = try await storage.storedPreferences()
            #expect(stored == [.pingPeriodicity: "30", .linkRetrySeconds: "7"])
            #expect(stored[.pingPeriodicity] == (try await storage.storedPreference(.pingPeriodicity)))
        }
    }
}
