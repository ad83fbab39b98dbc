import BackroomCore

/// The URL of another Backroom server: http or https, with a host.
enum ServerURL {
    static func validate(_ text: String, option: String) throws(ConfigurationError) -> String {
        guard let base = HTTPURL.base(text) else {
            throw ConfigurationError("\(option) must be an http:// or https:// URL with a host, got '\(text)'")
        }
        return base
    }
}
