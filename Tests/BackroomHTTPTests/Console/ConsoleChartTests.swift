import Testing

@testable import BackroomHTTP

struct ConsoleChartTests {
    @Test(arguments: [(0.0, 1.0), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (480, 500), (501, 1000)])
    func theScaleEndsAtAReadableNumber(_ value: Double, _ top: Double) {
        #expect(ConsoleChart.niceCeiling(value) == top)
    }

    @Test func aSparklineSkipsUnknownMinutesAndScalesToItsLargestValue() {
        #expect(ConsoleChart.sparklinePoints([0, nil, 4]) == "0,15 60,1")
        #expect(ConsoleChart.sparklinePoints([nil, nil]) == "")
        #expect(ConsoleChart.sparklinePoints([nil, 2]) == "57,1 60,1", "one reading: a dash")
    }

    @Test func barsStackTheirLayersAndALineBreaksWhereValuesAreUnknown() {
        let bars = ConsoleChart.bars([([1, 0], "granted"), ([1, 2], "refused")], title: "T", description: "D", unit: "")
        #expect(bars.components(separatedBy: "<rect ").count - 1 == 3, "a zero draws nothing")
        let line = ConsoleChart.line([1, 2, nil, 3, nil, nil, 4, 5], title: "T", description: "D", unit: " s")
        #expect(line.components(separatedBy: "<polyline ").count - 1 == 2 && line.components(separatedBy: "<circle ").count - 1 == 1)
        #expect(line.contains(">5 s</text>"))
    }

    @Test func textIsEscaped() {
        let chart = ConsoleChart.line([1], title: "<script>&", description: "\"", unit: "")
        #expect(chart.contains("&lt;script&gt;&amp;") && chart.contains("&quot;") && !chart.contains("<script>"))
    }
}
