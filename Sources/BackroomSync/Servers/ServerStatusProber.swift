import AsyncHTTPClient
import BackroomCore
import BackroomStorage
import NIOCore
import NIOPosix

/// Asks other servers how they are — by the status service (step 4 of the status service) or
/// by the ping service (central's pings) — and stores the answer.
///
/// However many requests find the same key stale at once, one call goes out: the others wait
/// for its outcome. Each call is tried `OBMOBC_NumberOfRequestRetries` more times, 50 ms
/// apart, before it counts as failed.
public actor ServerStatusProber {
    public struct Outcome: Sendable, Equatable {
        public let status: ServerStatus
        /// Why the server counts as `OFF`, when the call failed.
        public let error: String?
    }

    /// Which service asks.
    public enum Service: Sendable {
        /// `RetrieveMobileServerStatus` for the server's own key.
        case status
        /// `MobileServerStatusInformation`: an answer without a status counts as `ON`.
        case ping
    }

    static let retryPause = Duration.milliseconds(50)

    private let storage: any PreferenceStore & ServerRegistryStore
    private let identity: PeerIdentity
    private let clock: BackroomClock
    private var inFlight: [ServerKey: Task<Outcome, Never>] = [:]
    /// Each server's last answer, and when it came: one per registered server at most.
    private var answered: [ServerKey: (at: BackroomClock.Instant, outcome: Outcome)] = [:]

    /// What the asked servers' certificates are checked against, for `https://` URLs.
    private let tls: OutboundTLS

    public init(storage: any PreferenceStore & ServerRegistryStore, identity: PeerIdentity, tls: OutboundTLS, clock: BackroomClock) {
        self.tls = tls
        self.storage = storage
        self.clock = clock
        self.identity = identity
    }

    /// The server's status, asked now; callers asking while a call is under way share it, and
    /// one that found the registry stale at `askedAt` takes an answer that came since, so that
    /// many requests for one stale key make one call however they are spread.
    public func probe(_ key: ServerKey, at url: String?, by service: Service = .status, askedAt: BackroomClock.Instant? = nil) async -> Outcome {
        if let running = inFlight[key] { return await running.value }
        if let askedAt, let last = answered[key], last.at >= askedAt { return last.outcome }
        let task = Task { await self.callAndRecord(key, at: url, by: service) }
        inFlight[key] = task
        let outcome = await task.value
        inFlight[key] = nil
        answered[key] = (clock.now, outcome)
        return outcome
    }

    private func callAndRecord(_ key: ServerKey, at url: String?, by service: Service) async -> Outcome {
        let outcome: Outcome
        do throws(ProbeFailure) {
            outcome = Outcome(status: try await callWithRetries(key, at: url, by: service), error: nil)
        } catch {
            // Only a read time-out has more to ask of the registry and the preferences.
            let stored = error.isReadTimeout ? try? await storage.server(key: key)?.status : nil
            let forcesOffline = error.isReadTimeout ? await preference(.readTimeoutForcesOffline) == 1 : true
            switch FailedCall.verdict(readTimeout: error.isReadTimeout, readTimeoutForcesOffline: forcesOffline, stored: stored) {
            case .unchanged(let status): return Outcome(status: status, error: nil)
            case .offline: outcome = Outcome(status: .offline, error: "\(key) at \(url ?? "no URL"): \(error)")
            }
        }
        // What could not be stored is still the answer: the next request will simply ask again.
        try? await storage.recordServerStatus(key, outcome.status, at: clock.nowMillis(), reason: outcome.error)
        return outcome
    }

    private func callWithRetries(_ key: ServerKey, at url: String?, by service: Service) async throws(ProbeFailure) -> ServerStatus {
        guard let url else { throw ProbeFailure("no URL is registered") }
        let retries = await preference(.numberOfRequestRetries)
        var attempt = 0
        while true {
            do throws(ProbeFailure) {
                return try await call(key, at: url, by: service)
            } catch {
                attempt += 1
                // A read time-out has waited its full time already: trying again would multiply
                // the wait of every caller, not tell anything new.
                guard attempt <= retries, !error.isReadTimeout, (try? await clock.sleep(for: Self.retryPause)) != nil else { throw error }
            }
        }
    }

    private func call(_ key: ServerKey, at url: String, by service: Service) async throws(ProbeFailure) -> ServerStatus {
        let connectSeconds = await preference(.connectionTimeout)
        let readMinutes = await preference(.readTimeout)
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(Int64(connectSeconds)), read: .minutes(Int64(readMinutes)))
        configuration.tlsConfiguration = tls.configuration
        // A refused connection is an answer: the server is down. Retrying until the connect
        // time-out would only keep every caller waiting for the same answer.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let within = TimeAmount.seconds(Int64(connectSeconds + readMinutes * 60))
        do {
            let status = try await ask(client, key, at: url, by: service, within: within)
            try? await client.shutdown()
            return status
        } catch {
            try? await client.shutdown()
            throw ProbeFailure(describing: error, connectSeconds: connectSeconds, readMinutes: readMinutes)
        }
    }

    private func ask(
        _ client: HTTPClient,
        _ key: ServerKey,
        at url: String,
        by service: Service,
        within timeout: TimeAmount
    ) async throws -> ServerStatus {
        // The caller's identity in the body too, for servers of the original suite.
        var body = PeerBody.fields(key: identity.key, status: identity.status)
        let path: String
        switch service {
        case .status:
            path = StatusServicePaths.status
            body["serverKey"] = .string(key.value)
        case .ping:
            path = StatusServicePaths.ping
        }
        var request = HTTPClientRequest(url: url.trimmingSuffix("/") + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        identity.stamp(&request.headers)
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.bytes(of: .object(body))))
        let response = try await OutboundSpan.call("\(service) \(key)", request) { try await client.execute($0, timeout: timeout) }
        let answer = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else { throw ProbeFailure("bad answer: HTTP \(response.status.code)") }
        guard let read = try? JSONReader.read(answer.readableBytesView), case .object = read["response"] else {
            throw ProbeFailure("bad answer: no response object")
        }
        switch (read["response"]?["serverStatus"], service) {
        case (.string(let text)?, _):
            guard let status = ServerStatus(rawValue: text) else { throw ProbeFailure("bad answer: serverStatus \(text)") }
            return status
        case (nil, .ping):
            return .online
        default:
            throw ProbeFailure("bad answer: no serverStatus in the response")
        }
    }

    private func preference(_ preference: Preference) async -> Int {
        preference.effectiveValue(stored: (try? await storage.storedPreference(preference)) ?? nil)
    }
}

/// Why a probe failed, in the words the status service answers with.
struct ProbeFailure: Error, CustomStringConvertible {
    let description: String
    var isReadTimeout = false

    init(_ description: String) {
        self.description = description
    }

    init(describing error: any Error, connectSeconds: Int, readMinutes: Int) {
        if let failure = error as? ProbeFailure {
            self = failure
        } else if let error = error as? HTTPClientError, error == .connectTimeout {
            self.init("connect time-out after \(connectSeconds) s")
        } else if let error = error as? HTTPClientError, error == .readTimeout || error == .deadlineExceeded {
            self.init("read time-out after \(readMinutes) min")
            isReadTimeout = true
        } else if Self.isRefused(error) {
            self.init("connection refused")
        } else if let refused = OutboundTLS.explain(error, option: "--store-ca") {
            self.init(refused)
        } else {
            self.init("cannot reach it (\(error))")
        }
    }

    private static func isRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.contains { isRefused($0.error) }
        }
        return false
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
