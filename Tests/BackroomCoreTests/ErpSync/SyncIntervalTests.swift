import BackroomCore
import Testing

struct SyncIntervalTests {
    @Test(arguments: [
        ("00:00:01", 1), ("00:05:00", 300), ("23:59:59", 86_399), ("1.00:00:00", 86_400), ("0.00:10:00", 600),
    ])
    func intervalsWithinTheBoundsAreRead(_ text: String, _ seconds: Int) {
        #expect(SyncInterval(text: text)?.seconds == seconds)
    }

    @Test(arguments: [
        "00:00:00", "1.00:00:01", "2.00:00:00", "24:00:00", "00:60:00", "00:00:60", "5:00", "00:5:00", "0:05:00",
        "", "abc", "-00:05:00", "00:05:00.5", "1.", ".00:05:00", "00:05", "00:05:00:00", " 00:05:00",
    ])
    func anythingElseIsRefused(_ text: String) {
        #expect(SyncInterval(text: text) == nil)
    }

    @Test func itIsWrittenAsATimeSpan() {
        #expect(SyncInterval(seconds: 300)?.description == "00:05:00")
        #expect(SyncInterval(seconds: 3_661)?.description == "01:01:01")
        #expect(SyncInterval(seconds: 86_400)?.description == "1.00:00:00")
        #expect(SyncInterval.standard.description == "00:05:00")
        #expect(SyncInterval(seconds: 0) == nil)
        #expect(SyncInterval(seconds: 86_401) == nil)
    }
}
