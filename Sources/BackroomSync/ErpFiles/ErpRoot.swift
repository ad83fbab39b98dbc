import BackroomCore
import Foundation

/// The one folder ERP files connections may use, and only below it (`--erp-root`): an ERP
/// integrator names a folder of the exchange, never one of the server's own. A folder is
/// judged by where it really is, every symbolic link on its way followed.
public struct ErpRoot: Sendable, Equatable {
    /// The root as configured; nil when none is (PostgreSQL without `--erp-root`), and then no
    /// folder is allowed.
    public let path: String?

    public init(_ configured: String?) {
        path = configured.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// Why `folder` may not be used; nil when it lies inside the root. Both are resolved at
    /// every check: a root made or moved after the start counts as it is now.
    public func problem(with folder: String) -> String? {
        guard let path else { return "no ERP root is configured: start the server with --erp-root DIR" }
        guard let root = Self.realPath(path) else { return "the ERP root \(path) does not exist" }
        guard let real = Self.whereItWouldBe(folder), real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            return "\(folder) is not inside the ERP root \(path)"
        }
        return nil
    }

    /// Where `folder` really is, or would be once made: its nearest existing ancestor resolved,
    /// the rest (which cannot be a link, being not there) as written.
    private static func whereItWouldBe(_ folder: String) -> String? {
        var existing = URL(fileURLWithPath: folder).standardizedFileURL
        var rest: [String] = []
        while true {
            if let real = realPath(existing.path) { return ([real] + rest.reversed()).joined(separator: "/") }
            guard existing.path != "/" else { return nil }
            rest.append(existing.lastPathComponent)
            existing.deleteLastPathComponent()
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
