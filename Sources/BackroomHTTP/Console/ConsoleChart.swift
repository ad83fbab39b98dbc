import Foundation

/// Charts the server draws as inline SVG (nothing to fetch, no script): bars per minute, a line
/// over the hour, and a row's sparkline. Colours come from the style sheet's classes; each chart
/// has a title and a description for those who cannot see it.
enum ConsoleChart {
    static let width = 600.0
    static let height = 160.0
    /// Room for the scale on the left and the time along the bottom.
    private static let left = 40.0
    private static let bottom = 20.0
    /// Room for a dot drawn at "now".
    private static let right = 6.0

    /// Stacked bars, a bar per value, each layer drawn with its class (first layer at the bottom).
    static func bars(_ layers: [(values: [Double], cssClass: String)], title: String, description: String, unit: String) -> String {
        let count = layers.map(\.values.count).max() ?? 0
        let totals = (0..<count).map { index in layers.reduce(0) { $0 + ($1.values.indices.contains(index) ? $1.values[index] : 0) } }
        let top = niceCeiling(totals.max() ?? 0)
        let slot = (width - left) / Double(max(count, 1))
        var shapes = ""
        for index in 0..<count {
            var base = height - bottom
            for layer in layers where layer.values.indices.contains(index) && layer.values[index] > 0 {
                let size = layer.values[index] / top * (height - bottom - 10)
                base -= size
                shapes +=
                    "<rect class=\"\(layer.cssClass)\" x=\"\(number(left + Double(index) * slot + 1))\" y=\"\(number(base))\" width=\"\(number(max(slot - 2, 1)))\" height=\"\(number(size))\"/>"
            }
        }
        return frame(title: title, description: description, top: top, unit: unit, shapes: shapes)
    }

    /// A line through the known values (a gap where one is unknown).
    static func line(_ values: [Double?], title: String, description: String, unit: String) -> String {
        let top = niceCeiling(values.compactMap { $0 }.max() ?? 0)
        let step = (width - left - right) / Double(max(values.count - 1, 1))
        let runs = segments(values).map { run in
            run.map { "\(number(left + Double($0.index) * step)),\(number(height - bottom - $0.value / top * (height - bottom - 10)))" }.joined(
                separator: " "
            )
        }
        // A value alone between unknown minutes is a dot: a line needs two.
        let shapes = runs.map { $0.contains(" ") ? "<polyline class=\"series\" points=\"\($0)\"/>" : dot($0) }.joined()
        return frame(title: title, description: description, top: top, unit: unit, shapes: shapes)
    }

    /// The points of a sparkline 60 × 16, for a `<polyline>` (the live rows change them). A
    /// single reading is drawn as a short dash, since a line of one point shows nothing.
    static func sparklinePoints(_ values: [Double?]) -> String {
        let top = max(values.compactMap { $0 }.max() ?? 0, 1)
        let step = 60.0 / Double(max(values.count - 1, 1))
        let points = values.enumerated().compactMap { index, value in value.map { (x: Double(index) * step, y: 15 - $0 / top * 14) } }
        let drawn = points.count == 1 ? [(x: points[0].x - 3, y: points[0].y)] + points : points
        return drawn.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `value`, so that the scale reads easily.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 1 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= value } ?? value
    }

    private static func frame(title: String, description: String, top: Double, unit: String, shapes: String) -> String {
        let id = "chart-\(abs(title.hashValue))"
        let axis = height - bottom
        return """
            <svg class="chart" viewBox="0 0 \(number(width)) \(number(height))" role="img" aria-labelledby="\(id)-title \(id)-desc">\
            <title id="\(id)-title">\(escaped(title))</title><desc id="\(id)-desc">\(escaped(description))</desc>\
            <line class="axis" x1="\(number(left))" y1="10" x2="\(number(left))" y2="\(number(axis))"/>\
            <line class="axis" x1="\(number(left))" y1="\(number(axis))" x2="\(number(width))" y2="\(number(axis))"/>\
            <text class="scale" x="\(number(left - 4))" y="14" text-anchor="end">\(number(top))\(escaped(unit))</text>\
            <text class="scale" x="\(number(left - 4))" y="\(number(axis))" text-anchor="end">0</text>\
            <text class="scale" x="\(number(left))" y="\(number(height - 4))">an hour ago</text>\
            <text class="scale" x="\(number(width))" y="\(number(height - 4))" text-anchor="end">now</text>\
            \(shapes)</svg>
            """
    }

    private static func dot(_ point: String) -> String {
        let coordinates = point.split(separator: ",")
        return "<circle class=\"series-dot\" cx=\"\(coordinates[0])\" cy=\"\(coordinates[1])\" r=\"3\"/>"
    }

    /// Consecutive known values, each with its place in the hour.
    private static func segments(_ values: [Double?]) -> [[(index: Int, value: Double)]] {
        var runs: [[(index: Int, value: Double)]] = [[]]
        for (index, value) in values.enumerated() {
            if let value { runs[runs.count - 1].append((index, value)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        return runs.filter { !$0.isEmpty }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
