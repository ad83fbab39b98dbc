import BackroomCore
import Foundation

/// Every option also reads from the environment: the command line wins, then `BACKROOM_…`,
/// then the default.
enum EnvironmentFallback {
    static func value(_ option: String?, _ variable: String) -> String? {
        option ?? ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func integer(_ option: Int?, _ variable: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
        if let option { return option }
        guard let text = value(nil, variable) else { return defaultValue }
        guard let number = Int(text) else { throw ConfigurationError("\(variable) must be a whole number, got '\(text)'") }
        return number
    }

    /// A repeatable option, or the variable's comma-separated values.
    static func list(_ option: [String], _ variable: String) -> [String] {
        guard option.isEmpty else { return option }
        return (value(nil, variable) ?? "").split(separator: ",").map { String($0.trimmingOptionalWhitespace) }.filter { !$0.isEmpty }
    }

    static func flag(_ option: Bool, _ variable: String) throws(ConfigurationError) -> Bool {
        if option { return true }
        switch value(nil, variable)?.lowercased() {
        case nil, "0", "false", "no": return false
        case "1", "true", "yes": return true
        case let other?: throw ConfigurationError("\(variable) must be true or false, got '\(other)'")
        }
    }
}
