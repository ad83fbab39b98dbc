/// How far an HTTP connection has delivered movements to its ERP, kept in `sync_state`.
///
/// A batch is the range from `cursor` to `pending`, noted before it is sent: after a crash it
/// is read again as it was and sent with the same `Idempotency-Key`, so that an ERP that
/// honours the key sees each movement once, and the cursor moves past it only on a 2xx.
public struct DeliveryState: Sendable, Equatable {
    public var cursor: SyncCursor
    /// The end of the batch being delivered; nil when none is.
    public var pending: SyncCursor?
    /// Movement ids asked for again by `ForceResync`, sent before anything new.
    public var resend: [Int64]
    /// Counts the resyncs: a batch after one has another key, so the ERP takes it again.
    public var generation: Int
    /// Failed deliveries in a row, and when the next may be tried.
    public var failures: Int
    public var retryAt: Int64?

    public init(
        cursor: SyncCursor = SyncCursor(),
        pending: SyncCursor? = nil,
        resend: [Int64] = [],
        generation: Int = 0,
        failures: Int = 0,
        retryAt: Int64? = nil
    ) {
        self.cursor = cursor
        self.pending = pending
        self.resend = resend
        self.generation = generation
        self.failures = failures
        self.retryAt = retryAt
    }

    /// What an idempotency key is made from: the connection, the resync generation and the
    /// batch's range (or the ids asked for again).
    public func keyMaterial(connection uuid: String) -> String {
        if !resend.isEmpty { return "\(uuid)|\(generation)|ids|" + resend.map(String.init).joined(separator: ",") }
        return "\(uuid)|\(generation)|\(cursor.encoded)|\(pending?.encoded ?? "")"
    }

    /// `ForceResync`: everything again from the start, or only `ids`, under new keys.
    public func startedOver(ids: [Int64]) -> DeliveryState {
        var next = self
        next.generation += 1
        next.failures = 0
        next.retryAt = nil
        if ids.isEmpty {
            next.cursor = SyncCursor()
            next.pending = nil
        } else {
            next.resend = Array(Set(resend + ids)).sorted()
        }
        return next
    }

    /// After a delivery the ERP acknowledged: the batch is done.
    public func delivered() -> DeliveryState {
        var next = self
        if !resend.isEmpty {
            next.resend = []
        } else if let pending {
            next.cursor = pending
            next.pending = nil
        }
        next.failures = 0
        next.retryAt = nil
        return next
    }

    /// After a delivery that failed: the batch stays pending, tried again after a pause that
    /// doubles with each failure from half a second, never longer than `cap` seconds; `jitter`
    /// (0…1) spreads the retries of many connections.
    public func failed(at now: Int64, cap: Int, jitter: Double) -> DeliveryState {
        var next = self
        next.failures += 1
        let doubled = 500.0 * Double(1 << min(next.failures - 1, 20))
        let pause = min(doubled * (0.5 + jitter / 2), Double(cap) * 1000)
        next.retryAt = now + Int64(pause)
        return next
    }

    public var encoded: String {
        var members: [String: JSONValue] = [
            "cursor": .string(cursor.encoded), "generation": .integer(Int64(generation)), "failures": .integer(Int64(failures)),
        ]
        if let pending { members["pending"] = .string(pending.encoded) }
        if !resend.isEmpty { members["resend"] = .array(resend.map(JSONValue.integer)) }
        if let retryAt { members["retryAt"] = .integer(retryAt) }
        return JSONWriter.string(of: .object(members))
    }

    /// Reads what `encoded` wrote; nothing readable is a connection that has delivered nothing.
    public init(encoded text: String) {
        self.init()
        guard let value = try? JSONReader.read(Array(text.utf8)) else { return }
        if case .string(let text) = value["cursor"], let cursor = SyncCursor(encoded: text) { self.cursor = cursor }
        if case .string(let text) = value["pending"] { pending = SyncCursor(encoded: text) }
        if case .array(let ids) = value["resend"] { resend = ids.compactMap { if case .integer(let id) = $0 { id } else { nil } } }
        if case .integer(let number) = value["generation"] { generation = Int(number) }
        if case .integer(let number) = value["failures"] { failures = Int(number) }
        if case .integer(let number) = value["retryAt"] { retryAt = number }
    }
}
