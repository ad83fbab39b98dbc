import BackroomCore
import Foundation

/// The one way tests wait on real time: for what they cannot drive with a `ManualClock` (another
/// process, a socket, PostgreSQL's notifications), asking again at a short interval until a
/// deadline. Nothing else in the tests sleeps.
public enum Poll {
    /// Whether `condition` held within `limit`, asked every `interval` (errors count as false).
    public static func until(
        within limit: Duration = .seconds(30),
        every interval: Duration = .milliseconds(50),
        _ condition: () async throws -> Bool
    ) async -> Bool {
        let clock = BackroomClock.system
        let deadline = clock.now.advanced(by: limit)
        while true {
            if (try? await condition()) == true { return true }
            guard clock.now < deadline, (try? await clock.sleep(for: interval)) != nil else { return false }
        }
    }

    /// Waits `duration` of real time, for a process that must be given time (a kill at a random
    /// moment of its work).
    public static func pause(_ duration: Duration) async throws {
        try await BackroomClock.system.sleep(for: duration)
    }
}

/// Random choices of a test (when to kill a process), drawn from a seed the test logs, so that a
/// failure can be run again exactly: `BACKROOM_TEST_SEED=<seed>`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64

    /// From `BACKROOM_TEST_SEED` when set, else a fresh seed; printed either way.
    public init(for test: String) {
        let given = ProcessInfoSeed.value
        seed = given ?? UInt64.random(in: 1...UInt64.max)
        state = seed
        print("\(test): random timings from seed \(seed) (BACKROOM_TEST_SEED=\(seed) repeats them)")
    }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private enum ProcessInfoSeed {
    static var value: UInt64? {
        guard let text = getenv("BACKROOM_TEST_SEED") else { return nil }
        return UInt64(String(cString: text))
    }
}
