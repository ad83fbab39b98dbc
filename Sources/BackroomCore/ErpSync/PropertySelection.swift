/// `$select=Name,IsRunning,TableRight/Mask`: the properties a caller wants filled. The answer
/// keeps its shape; every property not selected, at any depth, is `null`. Names are matched
/// without regard to case; a list is selected item by item.
public struct PropertySelection: Sendable, Equatable {
    /// Each selected path, lowercased, as its names from the outside in.
    private let paths: [[String]]

    /// nil when the query has no `$select` or selects nothing, so that all is filled.
    public init?(_ query: String?) {
        let paths = (query ?? "").split(separator: ",").map { path in
            path.split(separator: "/").map { String($0.trimmingOptionalWhitespace).lowercased() }.filter { !$0.isEmpty }
        }.filter { !$0.isEmpty }
        guard !paths.isEmpty else { return nil }
        self.paths = paths
    }

    private init(paths: [[String]]) { self.paths = paths }

    public func apply(to value: ErpValue) -> ErpValue {
        switch value {
        case .list(let item, let items): .list(item: item, items.map(apply))
        case .object(let type, let properties): .object(type: type, properties.map(apply))
        case .map(let properties): .map(properties.map(apply))
        case .null, .bool, .int, .string, .enumeration, .duration, .absent: value
        }
    }

    private func apply(_ property: ErpProperty) -> ErpProperty {
        let name = property.name.lowercased()
        let matching = paths.filter { $0.first == name }
        if matching.isEmpty { return ErpProperty(property.name, .null) }
        if matching.contains(where: { $0.count == 1 }) { return property }
        return ErpProperty(property.name, PropertySelection(paths: matching.map { Array($0.dropFirst()) }).apply(to: property.value))
    }
}
