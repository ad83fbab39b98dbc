import BackroomCore
import Testing

@Suite struct MinuteSeriesTests {
    static let start: Int64 = 1_800_000_000_000  // a whole minute

    @Test func countsAddUpWithinAMinuteAndStayApartAcrossMinutes() {
        var series = MinuteSeries()
        series.add(1, at: Self.start)
        series.add(2, at: Self.start + 59_999)
        series.add(5, at: Self.start + 60_000)
        let hour = series.lastHour(endingAt: Self.start + 60_000)
        #expect(hour.count == MinuteSeries.minutes)
        #expect(hour.suffix(2) == [3, 5])
        #expect(hour.dropLast(2).allSatisfy { $0 == nil })
        #expect(series.total(endingAt: Self.start + 60_000) == 8)
    }

    @Test func aReadingKeepsTheLargestOfItsMinute() {
        var series = MinuteSeries()
        series.record(4, at: Self.start)
        series.record(9, at: Self.start + 1000)
        series.record(2, at: Self.start + 2000)
        #expect(series.lastHour(endingAt: Self.start).last == 9)
    }

    @Test func aMinuteAnHourOldIsForgottenWhenItsSlotComesRoundAgain() {
        var series = MinuteSeries()
        series.add(7, at: Self.start)
        let anHourLater = Self.start + 60 * 60_000
        #expect(series.lastHour(endingAt: anHourLater).allSatisfy { $0 == nil }, "out of the hour, though its slot still holds it")
        series.add(1, at: anHourLater)
        #expect(series.lastHour(endingAt: anHourLater).last == 1)
        #expect(series.total(endingAt: anHourLater) == 1)
    }

    @Test func minutesBeforeTheEpochHaveTheirOwnSlots() {
        var series = MinuteSeries()
        series.add(1, at: -1)
        series.add(1, at: 0)
        #expect(series.lastHour(endingAt: 0).suffix(2) == [1, 1])
    }
}
