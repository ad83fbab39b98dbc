/// The rules a user name must follow, so that names survive Basic authentication (no `:`)
/// and fit every client's field.
public enum UserName {
    public static let maximumLength = 64

    public static func validate(_ name: String) throws(ConfigurationError) -> String {
        guard !name.isEmpty, name.count <= maximumLength else {
            throw ConfigurationError("user name must be 1 to \(maximumLength) characters")
        }
        guard !name.contains(":"), name.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace && $0.properties.generalCategory != .control }) else {
            throw ConfigurationError("user name must not contain ':', white space or control characters")
        }
        return name
    }
}
