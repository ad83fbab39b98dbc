/// How far a store has pulled from central: the last sequence seen per origin. Each origin's
/// sequence follows its commit order, so nothing committed later can have a lower one and be
/// skipped (a single global counter would not have that property under concurrent writers).
public struct SyncCursor: Sendable, Equatable {
    public private(set) var positions: [ServerKey: Int64]

    public init(_ positions: [ServerKey: Int64] = [:]) {
        self.positions = positions
    }

    /// `ORIGIN:SEQUENCE` pairs, comma-separated, by origin: the opaque `after` of a pull.
    public var encoded: String {
        positions.sorted { $0.key < $1.key }.map { "\($0.key.value):\($0.value)" }.joined(separator: ",")
    }

    public init?(encoded text: String) {
        var positions: [ServerKey: Int64] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let key = try? ServerKey(String(parts[0])), let sequence = Int64(parts[1]), sequence >= 0
            else { return nil }
            positions[key] = sequence
        }
        self.positions = positions
    }

    public func position(of origin: ServerKey) -> Int64 { positions[origin] ?? 0 }

    /// The cursor moved on to `sequence` of `origin`, never backwards.
    public func advanced(to sequence: Int64, of origin: ServerKey) -> SyncCursor {
        var next = self
        if sequence > next.position(of: origin) { next.positions[origin] = sequence }
        return next
    }
}
