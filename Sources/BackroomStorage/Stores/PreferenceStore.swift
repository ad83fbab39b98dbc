import BackroomCore

/// The preferences a retailer tunes at run time, as stored.
/// Every method is one transaction, and returns only once it is durable.
public protocol PreferenceStore: Sendable {
    func setPreference(_ preference: Preference, value: Int) async throws
    func storedPreference(_ preference: Preference) async throws -> String?
    /// Every stored preference this Backroom knows, in one read.
    func storedPreferences() async throws -> [Preference: String]
}
