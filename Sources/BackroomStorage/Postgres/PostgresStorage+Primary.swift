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
            for try await inRecovery in try await connection.checkedQuery("SELECT pg_is_in_recovery()", logger: logger).decode(Bool.self) {
                standby = inRecovery
            }
            return standby && location.requiresPrimary ? .failure(Unusable(reason: "a standby, which takes no writes")) : .success(())
        } catch {
            return .failure(Unusable(reason: Self.reason(error)))
        }
    }

    /// Sends the storage's requests to the pool of endpoint `index` from now on; the pool of
    /// the server left is retired, so that requests waiting in it fail at once (503).
    func use(_ index: Int) {
        let left = pools.withLockedValue { pools -> (index: Int, fresh: PostgresClient)? in
            let previous = pools.inUse
            guard previous != index else { return nil }
            let fresh = Self.pool(location, location.endpoints[previous], applicationName, logger)
            pools.retired.insert(ObjectIdentifier(pools.all[previous]))
            pools.all[previous] = fresh
            pools.inUse = index
            return (previous, fresh)
        }
        guard let left else { return }
        poolsToRun.continuation.yield(left.fresh)
        logger.notice(
            "database server in use changed",
            metadata: ["from": "\(location.endpoints[left.index])", "to": "\(location.endpoints[index])"]
        )
    }

    /// Runs `pool` until it ends by itself (a graceful shutdown) or is retired.
    func runUntilRetired(_ pool: PostgresClient) async {
        guard followsPrimary else { return await pool.run() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            group.addTask { [pools, clock] in
                while !Task.isCancelled, !pools.withLockedValue({ $0.retired.contains(ObjectIdentifier(pool)) }) {
                    try? await clock.sleep(for: .milliseconds(100))
                }
            }
            await group.next()
            group.cancelAll()
        }
        _ = pools.withLockedValue { $0.retired.remove(ObjectIdentifier(pool)) }
    }

    /// Once a second, whether the server in use still answers and (when asked) takes writes;
    /// when not, the first of the URL's servers that does is used instead — a standby promoted
    /// after the primary was lost, say. No answer from any: asked again a second later.
    func followPrimary() async {
        while !Task.isCancelled {
            try? await clock.sleep(for: .seconds(1))
            let current = pools.withLockedValue { $0.inUse }
            guard case .failure(let reason) = await usable(location.endpoints[current]) else { continue }
            logger.warning(
                "database server in use cannot be used",
                metadata: ["server": "\(location.endpoints[current])", "reason": "\(reason.reason)"]
            )
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
