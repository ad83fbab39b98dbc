import BackroomCore
import Logging
import PostgresNIO

/// The database's change notifications, heard on a connection of its own.
extension PostgresStorage {
    /// Closed even by a cancelled task: a connection must be closed before it is let go.
    static func close(_ connection: PostgresConnection) async {
        await Task { try? await connection.close() }.value
    }

    /// The channel the schema's triggers notify on commit (migration 20): a shop's id, or `*`.
    static let changeChannel = "backroom_changes"

    /// Feeds `changes` from the database's notifications on a connection of its own, whichever
    /// process committed the change. After each (re)connection everything counts as changed:
    /// what was notified while no one listened is lost.
    func listenForChanges() async {
        while !Task.isCancelled {
            do {
                let connection = try await directConnection(id: 1)
                do {
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        changes.publish(.everything)
                        changes.setLive(true)
                        defer { changes.setLive(false) }
                        for try await notification in notifications {
                            if let change = ShopChange(notification: notification.payload) { changes.publish(change) }
                        }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.warning("stopped listening for changes; listening again", metadata: ["error": "\(Self.reason(error))"])
                    }
                }
                await Self.close(connection)
            } catch  where !Task.isCancelled {
                logger.warning("cannot listen for changes; trying again", metadata: ["error": "\(Self.reason(error))"])
            } catch {
                break
            }
            try? await clock.sleep(for: .seconds(1))
        }
    }
}
