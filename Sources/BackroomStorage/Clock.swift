import Foundation

/// Milliseconds since 1970, the one unit every stored instant uses on both databases.
public enum Clock {
    public static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
