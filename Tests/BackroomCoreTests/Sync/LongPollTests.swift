import BackroomCore
import Testing

struct LongPollTests {
    @Test func aWaitIsWholeSecondsUpToFiftyAndAbsentIsNone() {
        #expect(LongPoll.waitSeconds(parsing: nil) == 0)
        #expect(LongPoll.waitSeconds(parsing: "0") == 0)
        #expect(LongPoll.waitSeconds(parsing: "50") == 50)
        for wrong in ["51", "-1", "", "1.5", " 5", "99999999999999999999"] {
            #expect(LongPoll.waitSeconds(parsing: wrong) == nil, "\(wrong)")
        }
    }

    @Test func newsIsMovementsMoreToComeOrAnotherStateButNotAMovedCursor() {
        #expect(!LongPoll.isNews(movements: 0, more: false, state: "a", seen: "a"))
        #expect(LongPoll.isNews(movements: 1, more: false, state: "a", seen: "a"))
        #expect(LongPoll.isNews(movements: 0, more: true, state: "a", seen: "a"))
        #expect(LongPoll.isNews(movements: 0, more: false, state: "b", seen: "a"))
        #expect(LongPoll.isNews(movements: 0, more: false, state: "a", seen: nil), "a store that saw nothing yet")
    }

    @Test func aStateIsSixteenHexDigitsThatFollowTheBytes() {
        let state = LongPoll.state(of: Array(#"{"figures":{}}"#.utf8))
        #expect(state.count == 16 && state.allSatisfy(\.isHexDigit))
        #expect(state == LongPoll.state(of: Array(#"{"figures":{}}"#.utf8)))
        #expect(state != LongPoll.state(of: Array(#"{"figures":{"a":1}}"#.utf8)))
        #expect(LongPoll.state(of: []) == "cbf29ce484222325", "FNV-1a's offset basis")
    }
}

struct ShopChangeTests {
    @Test func aChangeConcernsTheStoresOfItsShopsOrEveryStore() {
        #expect(ShopChange.shops([10010]).concerns([10010, 10020]))
        #expect(!ShopChange.shops([10030]).concerns([10010, 10020]))
        #expect(ShopChange.everything.concerns([10010]))
        #expect(ShopChange(notification: "10010") == .shops([10010]))
        #expect(ShopChange(notification: "*") == .everything)
        #expect(ShopChange(notification: "x") == nil)
    }

    @Test func aStoresOwnMovementsAreNoChangeToIt() throws {
        let store = try ServerKey("VALLBLANCA")
        let sold = ShopChange.movements(shop: 10010, origin: store)
        #expect(!sold.concerns([10010], apartFrom: store), "its own push")
        #expect(sold.concerns([10010], apartFrom: try ServerKey("NORTE")), "another store of the same shop")
        #expect(sold.concerns([10010]), "whoever watches for no store")
        #expect(!sold.concerns([10020]))
        #expect(ShopChange.shops([10010]).concerns([10010], apartFrom: store), "its shop's reservations or blocked stock")
        #expect(ShopChange(notification: "10010 VALLBLANCA") == sold)
        #expect(ShopChange(notification: "10010 ") == nil)
        #expect(ShopChange(notification: "10010 VALL BLANCA") == nil)
    }
}
