extension AsyncSequence {
    /// All elements, for result sets small enough to hold at once.
    func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
