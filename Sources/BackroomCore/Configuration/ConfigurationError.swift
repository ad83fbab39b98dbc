/// A problem with an argument, an environment variable or a stored setting, worded for the
/// operator who has to fix it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
