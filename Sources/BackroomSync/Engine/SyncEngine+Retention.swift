import BackroomCore

extension SyncEngine {
    /// Every reader of movements among the connections, paused ones too (they go on from where
    /// they stopped), each with how far it has them. A connection this process has no connector
    /// for (a store's link, read by a command) holds everything back: it cannot say how far it is.
    public func movementConsumers(under policy: RetentionPolicy, at now: Int64) async throws -> [MovementRetention.Consumer] {
        var consumers: [MovementRetention.Consumer] = []
        for connection in try await connections(includeDeleted: false) {
            guard let connector = connectors[connection.kind] else {
                consumers.append(MovementRetention.Consumer(position: SyncCursor(), scope: .allBut(nil)))
                continue
            }
            if let consumer = try await connector.consumer(of: try opened(connection), under: policy, at: now) { consumers.append(consumer) }
        }
        return consumers
    }
}
