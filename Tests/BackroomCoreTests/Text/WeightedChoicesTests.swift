import BackroomCore
import Testing

struct WeightedChoicesTests {
    static func best(_ header: String) -> String? {
        WeightedChoices.best(in: header) { ["a", "b", "c"].contains($0) ? $0 : nil }
    }

    @Test func theBestWeightedKnownItemWins() {
        #expect(Self.best("a;q=0.5, b") == "b")
        #expect(Self.best("a, b") == "a", "the first of equal weights")
        #expect(Self.best("x, c;q=0.1") == "c", "unknown items are passed over")
        #expect(Self.best(" b ; Q=0.9 ;level=1, a;q=0.8") == "b")
        #expect(Self.best("a;q=0, b;q=0.001") == "b", "q=0 excludes")
        #expect(Self.best("a;q=zero") == nil, "a weight that is not a number counts as 0")
        #expect(Self.best("") == nil)
    }
}
