import BackroomCore

/// The key of the server on whose behalf a command records changes.
enum ServerKeyOption {
    static func resolve(_ option: String?) throws(ConfigurationError) -> ServerKey {
        guard let name = EnvironmentFallback.value(option, "BACKROOM_SERVER_KEY") else { return .central }
        return try ServerKey(name)
    }
}
