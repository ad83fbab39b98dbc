/// A store's pull may wait for news instead of being asked again every second: it names how
/// long (`wait`, whole seconds) and the state it holds (`seen`, the `state` of its last answer);
/// central answers at once when it has news for the store, else when news arrives or the wait
/// is over (sync-engine.md, "Transport"; decisions.md).
public enum LongPoll {
    /// What an idle store costs central is a pull per wait: the longest a load balancer or proxy
    /// between them commonly lets a silent request live is a minute (nginx, cloud balancers).
    public static let longestWaitSeconds = 50

    /// `wait` as a pull gives it: absent is 0 (answer at once, as before the long poll).
    public static func waitSeconds(parsing text: String?) -> Int? {
        guard let text else { return 0 }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seconds = Int(text), seconds <= longestWaitSeconds else { return nil }
        return seconds
    }

    /// Whether an answer tells the store something it does not hold: movements, more to come,
    /// or other state (figures, a resync, a new token) unlike what it has seen. A cursor that
    /// only stepped over other shops' movements is not: when every store sells, it moves all the
    /// time, and answering it at once made every busy store's pull come back twice a second.
    public static func isNews(movements: Int, more: Bool, state: String, seen: String?) -> Bool {
        movements > 0 || more || state != seen
    }

    /// A short fingerprint of an answer's state (FNV-1a, 64 bits, hex): equal states, equal text.
    public static func state(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
