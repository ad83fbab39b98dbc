/// What the engine is doing and what its last round did, kept in the database so that every
/// central process answers `GetEngineStatus` alike, whichever of them runs the rounds.
public struct EngineProgress: Sendable, Equatable {
    public struct Round: Sendable, Equatable {
        public let startedAt: Int64
        public let finishedAt: Int64
        public let connections: Int
        public let changes: Int
        /// The names of the connections whose visit failed.
        public let failed: [String]
        /// False when a shutdown or the lease lost cut the round short: the next is due at once.
        public let complete: Bool
        /// The connections' names in the order visited, when priorities set it; empty otherwise.
        public let order: [String]
        /// When a connection asked to be visited again, before the next round is due.
        public let retryAt: Int64?

        public init(
            startedAt: Int64,
            finishedAt: Int64,
            connections: Int,
            changes: Int,
            failed: [String] = [],
            complete: Bool = true,
            order: [String] = [],
            retryAt: Int64? = nil
        ) {
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.connections = connections
            self.changes = changes
            self.failed = failed
            self.complete = complete
            self.order = order
            self.retryAt = retryAt
        }

        public var errors: Int { failed.count }
    }

    /// The connection being synced now, counted from 1; nil between rounds.
    public struct Visit: Sendable, Equatable {
        public let name: String
        public let index: Int
        public let count: Int

        public init(name: String, index: Int, count: Int) {
            self.name = name
            self.index = index
            self.count = count
        }
    }

    public var visiting: Visit?
    public var lastRound: Round?

    public init(visiting: Visit? = nil, lastRound: Round? = nil) {
        self.visiting = visiting
        self.lastRound = lastRound
    }

    /// `StatusMessage` in words: stopped, waiting for its first round, idle since the last
    /// round with what it did, or which connection it syncs now.
    public func statusMessage(running: Bool) -> [ErpText] {
        if let visiting { return [.syncing(name: visiting.name, index: visiting.index, count: visiting.count)] }
        var summary: [ErpText] = []
        if let lastRound {
            summary.append(
                .lastRound(millis: lastRound.finishedAt, connections: lastRound.connections, changes: lastRound.changes, errors: lastRound.errors)
            )
            if !lastRound.failed.isEmpty { summary.append(.failedConnections(lastRound.failed.joined(separator: ", "))) }
            if !lastRound.order.isEmpty { summary.append(.visitOrder(lastRound.order.joined(separator: ", "))) }
        }
        if !running { return [.stopped] + summary }
        guard let lastRound else { return [.waitingForFirstRound] }
        return [.idleSince(millis: lastRound.finishedAt)] + summary
    }

    public var encoded: String {
        var members: [String: JSONValue] = [:]
        if let visiting {
            members["visiting"] = .object([
                "name": .string(visiting.name), "index": .integer(Int64(visiting.index)), "count": .integer(Int64(visiting.count)),
            ])
        }
        if let lastRound {
            members["lastRound"] = .object([
                "startedAt": .integer(lastRound.startedAt), "finishedAt": .integer(lastRound.finishedAt),
                "connections": .integer(Int64(lastRound.connections)),
                "changes": .integer(Int64(lastRound.changes)), "failed": .array(lastRound.failed.map(JSONValue.string)),
                "complete": .bool(lastRound.complete), "order": .array(lastRound.order.map(JSONValue.string)),
                "retryAt": lastRound.retryAt.map(JSONValue.integer) ?? .null,
            ])
        }
        return JSONWriter.string(of: .object(members))
    }

    /// Reads what `encoded` wrote; a value it cannot read counts as nothing known yet.
    public init(encoded text: String) {
        guard let value = try? JSONReader.read(Array(text.utf8)) else { return }
        if case .string(let name) = value["visiting"]?["name"], case .integer(let index) = value["visiting"]?["index"],
            case .integer(let count) = value["visiting"]?["count"]
        {
            visiting = Visit(name: name, index: Int(index), count: Int(count))
        }
        if let round = value["lastRound"], case .integer(let startedAt) = round["startedAt"], case .integer(let finishedAt) = round["finishedAt"],
            case .integer(let connections) = round["connections"], case .integer(let changes) = round["changes"],
            case .array(let names) = round["failed"]
        {
            lastRound = Round(
                startedAt: startedAt,
                finishedAt: finishedAt,
                connections: Int(connections),
                changes: Int(changes),
                failed: names.compactMap { if case .string(let name) = $0 { name } else { nil } },
                complete: round["complete"] != .bool(false),
                order: {
                    if case .array(let names)? = round["order"] {
                        names.compactMap { if case .string(let name) = $0 { name } else { nil } }
                    } else {
                        []
                    }
                }(),
                retryAt: { if case .integer(let at)? = round["retryAt"] { at } else { nil } }()
            )
        }
    }
}
