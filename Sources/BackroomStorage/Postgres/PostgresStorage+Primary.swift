import BackroomCore
import Logging
import NIOCore
import PostgresNIO

/// Which of the URL's servers the storage uses, and following the primary when it changes.
extension PostgresStorage {
    struct Unusable: Error { let reason: String }

    /// Whether `endpoint` answers, and takes writes when the URL asks for a primary.
    func usable(_ endpoint: PostgresLocation.Endpoint) async -> Result<Void, Unusable> {
        do {
            let connection = try await directConnection(to: endpoint, id: 2, connectTimeout: .seconds(2))
            defer { Task { await Self.close(connection) } }
            var standby = false
            for try await inRecovery in try await connection.query("SELECT pg_is_in_recovery()", logger: logger).decode(Bool.self) {
                standby = inRecovery
            }
            return standby && location.requiresPrimary ? .failure(Unusable(reason: "a standby, which takes no writes")) : .success(())
        } catch {
            return .failure(Unusable(reason: Self.reason(error)))
        }
    }

    /// Moves the storage to the pool of endpoint `index`; requests in flight on the old one fail.
    func use(_ index: Int) {
        let previous = pools.withLockedValue { current -> Int? in
            guard current.endpoint != index else { return nil }
            let before = current.endpoint
            current = (Self.pool(location, location.endpoints[index], applicationName, logger), index, current.generation + 1)
            return before
        }
        if let previous {
            logger.notice("database server in use changed", metadata: ["from": "\(location.endpoints[previous])", "to": "\(location.endpoints[index])"])
        }
    }

    /// Runs the pool in use, and the next one when it changes, until a pool ends by itself
    /// (a graceful shutdown) or the task is cancelled.
    func runPools() async {
        while !Task.isCancelled {
            let (client, _, generation) = pools.withLockedValue { $0 }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                group.addTask { [pools] in
                    while !Task.isCancelled, pools.withLockedValue({ $0.generation }) == generation {
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
                await group.next()
                group.cancelAll()
            }
            if pools.withLockedValue({ $0.generation }) == generation { return }
        }
    }

    /// Once a second, whether the server in use still answers and (when asked) takes writes;
    /// when not, the first of the URL's servers that does is used instead — a standby promoted
    /// after the primary was lost, say. No answer from any: asked again a second later.
    func followPrimary() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let current = pools.withLockedValue { $0.endpoint }
            guard case .failure(let reason) = await usable(location.endpoints[current]) else { continue }
            logger.warning("database server in use cannot be used", metadata: ["server": "\(location.endpoints[current])", "reason": "\(reason.reason)"])
            for (index, endpoint) in location.endpoints.enumerated() where index != current {
                if case .success = await usable(endpoint) {
                    use(index)
                    changes.publish(.everything)
                    break
                }
            }
        }
    }
}
