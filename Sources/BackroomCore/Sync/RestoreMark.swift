/// What a server's database says of itself once it has been restored from a copy: how far each
/// origin numbered on it had got in the copy. A central restored from a copy older than its
/// stores tells them, at their pulls, that its own movements past those heads are gone: a store
/// forgets what it holds of them and pulls that origin again from the head, so that it ends
/// with exactly what central holds (`forget(beyond:)`). Marks accumulate, oldest first; a
/// store applies those after the last it applied.
public struct RestoreMark: Sendable, Equatable {
    public let id: String
    public let heads: [ServerKey: Int64]

    public init(id: String, heads: [ServerKey: Int64]) {
        self.id = id
        self.heads = heads
    }

    public var json: JSONValue {
        .object(["id": .string(id), "heads": .object(Dictionary(uniqueKeysWithValues: heads.map { ($0.key.value, JSONValue.integer($0.value)) }))])
    }

    /// A list as `json` writes each; nil when anything is off.
    public static func parseList(_ value: JSONValue?) -> [RestoreMark]? {
        guard case .array(let entries)? = value else { return nil }
        var marks: [RestoreMark] = []
        for entry in entries {
            guard case .string(let id) = entry["id"], !id.isEmpty, case .object(let heads) = entry["heads"] else { return nil }
            var parsed: [ServerKey: Int64] = [:]
            for (origin, head) in heads {
                guard let key = try? ServerKey(origin), case .integer(let sequence) = head, sequence >= 0 else { return nil }
                parsed[key] = sequence
            }
            marks.append(RestoreMark(id: id, heads: parsed))
        }
        return marks
    }

    /// The marks a database keeps as text (`SyncStateKey.restores`); none when it keeps none,
    /// or keeps something unreadable.
    public static func parseList(stored text: String?) -> [RestoreMark] {
        guard let text, !text.isEmpty, let value = try? JSONReader.read(Array(text.utf8)) else { return [] }
        return parseList(value) ?? []
    }

    /// The marks after the one named `applied`; all of them when it is nil or not among them.
    public static func unapplied(_ marks: [RestoreMark], after applied: String?) -> [RestoreMark] {
        guard let applied, let index = marks.firstIndex(where: { $0.id == applied }) else { return marks }
        return Array(marks[(index + 1)...])
    }

    /// The heads a store forgets beyond: every origin of the mark but the store's own, whose
    /// movements the store itself squares with central (`OriginRecovery`).
    public func heads(forgottenBy store: ServerKey) -> [ServerKey: Int64] {
        heads.filter { $0.key != store }
    }

    /// `cursor` taken back to the heads, where it is past them.
    public func rewound(_ cursor: SyncCursor, for store: ServerKey) -> SyncCursor {
        var positions = cursor.positions
        for (origin, head) in heads(forgottenBy: store) where cursor.position(of: origin) > head {
            positions[origin] = head
        }
        return SyncCursor(positions)
    }
}
