import AsyncHTTPClient
import BackroomCore
import BackroomStorage
import Hummingbird
import NIOCore
import NIOPosix

/// Asks other servers for their status (step 4 of the status service) and stores the answer.
///
/// However many requests find the same key stale at once, one call goes out: the others wait
/// for its outcome.
actor ServerStatusProber {
    struct Outcome: Sendable, Equatable {
        let status: ServerStatus
        /// Why the server counts as `OFF`, when the call failed.
        let error: String?
    }

    private let storage: any BackroomStorage
    private let identity: PeerIdentity
    private var inFlight: [ServerKey: Task<Outcome, Never>] = [:]

    init(storage: any BackroomStorage, identity: PeerIdentity) {
        self.storage = storage
        self.identity = identity
    }

    func probe(_ key: ServerKey, at url: String?) async -> Outcome {
        if let running = inFlight[key] { return await running.value }
        let task = Task { await self.callAndRecord(key, at: url) }
        inFlight[key] = task
        let outcome = await task.value
        inFlight[key] = nil
        return outcome
    }

    private func callAndRecord(_ key: ServerKey, at url: String?) async -> Outcome {
        let outcome: Outcome
        do {
            outcome = Outcome(status: try await call(key, at: url), error: nil)
        } catch {
            outcome = Outcome(status: .offline, error: "\(key) at \(url ?? "no URL"): \(error)")
        }
        // What could not be stored is still the answer: the next request will simply ask again.
        try? await storage.recordServerStatus(key, outcome.status, at: Clock.nowMillis(), reason: outcome.error)
        return outcome
    }

    private func call(_ key: ServerKey, at url: String?) async throws -> ServerStatus {
        guard let url else { throw ProbeFailure("no URL is registered") }
        let connectSeconds = try await preference(.connectionTimeout)
        let readSeconds = try await preference(.readTimeout)
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(Int64(connectSeconds)), read: .seconds(Int64(readSeconds)))
        // A refused connection is an answer: the server is down. Retrying until the connect
        // time-out would only keep every caller waiting for the same answer.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let status = try await Self.ask(client, key, at: url, identity: identity, within: .seconds(Int64(connectSeconds + readSeconds)))
            try await client.shutdown()
            return status
        } catch {
            try? await client.shutdown()
            throw ProbeFailure(describing: error, connectSeconds: connectSeconds, readSeconds: readSeconds)
        }
    }

    private static func ask(
        _ client: HTTPClient, _ key: ServerKey, at url: String, identity: PeerIdentity, within timeout: TimeAmount
    ) async throws -> ServerStatus {
        var request = HTTPClientRequest(url: url.trimmingSuffix("/") + ServerStatusController.backroomPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        identity.stamp(&request.headers)
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.bytes(of: .object(["serverKey": .string(key.value)]))))
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else { throw ProbeFailure("bad answer: HTTP \(response.status.code)") }
        guard let answer = try? JSONReader.read(body.readableBytesView),
              case .string(let text) = answer["response"]?["serverStatus"], let status = ServerStatus(rawValue: text)
        else { throw ProbeFailure("bad answer: no serverStatus in the response") }
        return status
    }

    private func preference(_ preference: Preference) async throws -> Int {
        preference.effectiveValue(stored: try await storage.storedPreference(preference))
    }
}

/// Why a probe failed, in the words the status service answers with.
struct ProbeFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    init(describing error: any Error, connectSeconds: Int, readSeconds: Int) {
        if let failure = error as? ProbeFailure {
            self = failure
        } else if let error = error as? HTTPClientError, error == .connectTimeout {
            self.init("connect time-out after \(connectSeconds) s")
        } else if let error = error as? HTTPClientError, error == .readTimeout || error == .deadlineExceeded {
            self.init("read time-out after \(readSeconds) s")
        } else if Self.isRefused(error) {
            self.init("connection refused")
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
