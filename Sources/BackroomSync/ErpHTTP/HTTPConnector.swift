import AsyncHTTPClient
import BackroomCore
import BackroomSecurity
import BackroomStorage
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP connector: each visit POSTs the movements its ERP endpoint has not acknowledged, in
/// each origin's order, as `{"movements": [...]}` batches with an `Idempotency-Key` made from
/// the batch's range, and moves on only after a 2xx (`DeliveryState` says why that is once).
/// A failure ends the visit and asks for the next one after a back-off capped at the interval.
public struct HTTPConnector: SyncConnector {
    public typealias Storage = EngineStore & ReplicationStore & SyncStateStore & PreferenceStore

    private let storage: any Storage
    private let clock: BackroomClock
    private let logger: Logger
    private let allowed: ConnectorAllowList

    public init(storage: any Storage, clock: BackroomClock, logger: Logger, allowed: ConnectorAllowList) {
        self.storage = storage
        self.allowed = allowed
        self.clock = clock
        self.logger = logger
    }

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    public func visit(_ connection: SyncConnection) async throws -> VisitOutcome {
        let url = try await endpoint(of: connection)
        let key = SyncStateKey.httpDelivery(connection: connection.id)
        let stored = try await storage.syncState(key)
        let state = DeliveryState(encoded: stored ?? "")
        if let retryAt = state.retryAt, clock.nowMillis() < retryAt {
            return VisitOutcome(changes: 0, problem: "waiting to try again after \(state.failures) failed deliveries", retryAt: retryAt)
        }
        guard case .http(let delivery) = try connection.settings else {
            throw ConfigurationError("connection \(connection.name) is no HTTP connection")
        }
        return try await Self.withClient(storage) { client in
            try await deliver(connection, delivery, to: url, key: key, state: state, stored: stored, client: client)
        }
    }

    private func deliver(
        _ connection: SyncConnection,
        _ delivery: ConnectionSettings.HTTPDelivery,
        to url: String,
        key: SyncStateKey,
        state: DeliveryState,
        stored: String?,
        client: HTTPClient
    ) async throws -> VisitOutcome {
        var state = state
        var stored = stored
        var delivered = 0
        while !Task.isShuttingDownGracefully {
            let batch: [ReplicatedMovement]
            if !state.resend.isEmpty {
                batch = try await storage.movements(ids: state.resend)
            } else if let pending = state.pending {
                batch = try await storage.movements(after: state.cursor, through: pending)
            } else {
                let page = try await storage.movements(forShops: nil, except: nil, after: state.cursor, limit: delivery.batchSize)
                guard page.cursor != state.cursor else { break }
                state.pending = page.cursor
                stored = try await save(state, replacing: stored, key)
                batch = page.movements
            }
            do {
                if !batch.isEmpty {
                    let idempotencyKey = Digest.sha256Hex(Data(state.keyMaterial(connection: connection.uuid).utf8))
                    try await post(
                        batch,
                        client: client,
                        to: url,
                        key: idempotencyKey,
                        token: delivery.token,
                        timeout: .seconds(delivery.timeoutSeconds)
                    )
                }
            } catch {
                let interval = try await SyncEngine.interval(in: storage)
                state = state.failed(at: clock.nowMillis(), cap: interval.seconds, jitter: Double.random(in: 0...1))
                stored = try await save(state, replacing: stored, key)
                return VisitOutcome(changes: delivered, problem: "\(error)", retryAt: state.retryAt)
            }
            delivered += batch.count
            Counter(label: "backroom_erp_delivered_movements_total").increment(by: batch.count)
            state = state.delivered()
            stored = try await save(state, replacing: stored, key)
        }
        if delivered > 0 { logger.info("movements delivered", metadata: ["connection": "\(connection.name)", "movements": "\(delivered)"]) }
        return VisitOutcome(changes: delivered)
    }

    public func test(_ connection: SyncConnection) async -> Bool {
        guard let url = try? await endpoint(of: connection) else { return false }
        return await reason(reaching: url) == nil
    }

    public func problem(with connection: SyncConnection) async -> ConnectorSettingProblem? {
        guard let entity = try? await storage.connectorEntity(id: connection.connectorId), !entity.deleted else {
            return .refused(field: "ErpConnectorId", reason: "there is no HTTP connector \(connection.connectorId)")
        }
        return nil
    }

    public func resync(_ connection: SyncConnection, ids: [Int64]) async throws -> ErpText {
        let key = SyncStateKey.httpDelivery(connection: connection.id)
        while true {
            let stored = try await storage.syncState(key)
            if try await storage.replaceSyncState(key, expected: stored, with: DeliveryState(encoded: stored ?? "").startedOver(ids: ids).encoded) {
                break
            }
        }
        return ids.isEmpty ? .resyncHTTPAll : .resyncHTTPSome(ids.count)
    }

    /// The delivery reads every movement, and has them as far as its last answered batch.
    public func consumer(of connection: SyncConnection, under policy: RetentionPolicy, at now: Int64) async throws -> MovementRetention.Consumer? {
        let state = DeliveryState(encoded: try await storage.syncState(.httpDelivery(connection: connection.id)) ?? "")
        return MovementRetention.Consumer(position: state.cursor, scope: .allBut(nil))
    }

    /// Why `url` does not answer, within the connect time-out; nil when it answers (any status
    /// below 500).
    func reason(reaching url: String) async -> String? {
        guard HTTPURL.isValid(url) else { return "\(url) is not an http or https URL" }
        if let forbidden = await forbidden(url) { return forbidden }
        do {
            let seconds = try await Self.connectSeconds(storage)
            let response = try await Self.withClient(storage) { client in
                let response = try await OutboundSpan.call("test ERP connector", HTTPClientRequest(url: url)) {
                    try await client.execute($0, timeout: .seconds(Int64(seconds)))
                }
                _ = try? await response.body.collect(upTo: 1 << 20)
                return response
            }
            return response.status.code >= 500 ? "\(url) answered \(response.status.code) \(response.status.reasonPhrase)" : nil
        } catch {
            return "\(url) does not answer: \(error)"
        }
    }

    /// Why the connector may not call `url` (an internal address the operator did not allow);
    /// nil when it may. A name is judged by every address it resolves to now.
    public func forbidden(_ url: String) async -> String? {
        guard let parsed = URL(string: url), let host = parsed.host else { return nil }
        let port = parsed.port ?? (parsed.scheme?.lowercased() == "https" ? 443 : 80)
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = await Self.addresses(of: bare)
        return allowed.refusal(host: bare, port: port, addresses: addresses)
    }

    /// What `host` resolves to (itself for an address), off the cooperative threads.
    private static func addresses(of host: String) async -> [NetworkAddress] {
        if let literal = NetworkAddress(host) { return [literal] }
        return
            (try? await NIOThreadPool.singleton.runIfActive {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var found: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &found) == 0, let first = found else { return [NetworkAddress]() }
                defer { freeaddrinfo(first) }
                var addresses: [NetworkAddress] = []
                for info in sequence(first: first, next: { $0.pointee.ai_next }) {
                    var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0,
                        let address = NetworkAddress(String(cString: text).split(separator: "%").first ?? "")
                    {
                        addresses.append(address)
                    }
                }
                return addresses
            }) ?? []
    }

    private func endpoint(of connection: SyncConnection) async throws -> String {
        guard let entity = try await storage.connectorEntity(id: connection.connectorId), !entity.deleted else {
            throw Refused(description: "HTTP connector \(connection.connectorId) was removed")
        }
        if let forbidden = await forbidden(entity.url) { throw Refused(description: forbidden) }
        return entity.url
    }

    private func post(
        _ batch: [ReplicatedMovement],
        client: HTTPClient,
        to url: String,
        key: String,
        token: String?,
        timeout: TimeAmount
    ) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        if let token, !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.bytes(of: .object(["movements": .array(batch.map(\.json))]))))
        let response = try await OutboundSpan.call("deliver to ERP", request) { try await client.execute($0, timeout: timeout) }
        _ = try? await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Refused(description: "\(url) answered \(response.status.code) \(response.status.reasonPhrase)")
        }
    }

    private func save(_ state: DeliveryState, replacing stored: String?, _ key: SyncStateKey) async throws -> String {
        let encoded = state.encoded
        guard try await storage.replaceSyncState(key, expected: stored, with: encoded) else { throw ErpExport.Overtaken() }
        return encoded
    }

    private static func connectSeconds(_ storage: any PreferenceStore) async throws -> Int {
        Preference.connectionTimeout.effectiveValue(stored: try await storage.storedPreference(.connectionTimeout))
    }

    /// A client for one visit: connections kept for its batches, a refused one not retried
    /// until the connect time-out (it is an answer: the ERP is down).
    private static func withClient<Result: Sendable>(
        _ storage: any PreferenceStore,
        _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(Int64(try await connectSeconds(storage))))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
