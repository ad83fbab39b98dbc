import BackroomCore
import Foundation

/// The URL of another Backroom server: http or https, with a host.
enum ServerURL {
    static func validate(_ text: String, option: String) throws(ConfigurationError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError("\(option) must be an http:// or https:// URL with a host, got '\(text)'")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
