import AsyncHTTPClient
import BackroomCore
import BackroomGzip
import Foundation
import NIOCore
import NIOHTTP1

/// The store's calls to central's sync endpoints, each stamped with the store's key and status
/// and authenticated with its token.
struct CentralClient: Sendable {
    let client: HTTPClient
    let baseURL: String
    let token: String
    let own: ServerKey
    let status: @Sendable () -> ServerStatus
    /// How many of the store's own movements central does not hold yet, as last counted.
    let waiting: @Sendable () -> Int64

    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// Central's HTTP status, when it answered.
        var status: UInt?
        /// Central speaks an older sync protocol than this store: nothing more is sent to it.
        var centralIsOlder = false
    }

    /// Refuses an answer of a central older than this store before anything of it is used. A
    /// central says its protocol on every answer; an answer without it is from a central older
    /// than the protocol's name, unless it is a refusal, which may be a proxy's.
    private func checkSpoken(by response: HTTPClientResponse) throws {
        let said = response.headers.first(name: PeerHeaders.syncProtocol).flatMap { Int($0) }
        guard said != nil || response.status == .ok else { return }
        let central = said ?? PeerSoftware.unnamedProtocol
        guard PeerSoftware.maySync(store: PeerSoftware.current.syncProtocol, central: central) else {
            throw Failure(
                description: PeerSoftware.newerThanCentral(store: PeerSoftware.current.syncProtocol, central: central),
                status: response.status.code,
                centralIsOlder: true
            )
        }
    }

    func bootstrap(timeout: TimeAmount) async throws -> StoreBootstrap {
        guard let bootstrap = StoreBootstrap.parse(try await call(.GET, "/sync/v1/bootstrap", body: nil, timeout: timeout)) else {
            throw Failure(description: "central answered a bootstrap the store cannot read")
        }
        return bootstrap
    }

    /// Sends a batch of the store's own movements, which follow `after`; answers the highest
    /// sequence central holds. A central that holds less than `after` refuses it (409).
    func push(_ movements: [ReplicatedMovement], after: Int64, timeout: TimeAmount) async throws -> Int64 {
        let answer = try await call(
            .POST,
            "/sync/v1/push",
            body: .object(["after": .integer(after), "movements": .array(movements.map(\.json))]),
            timeout: timeout
        )
        guard case .integer(let held) = answer["highWater"] else { throw Failure(description: "central's push answer has no highWater") }
        return held
    }

    /// The store's own movements central holds past `after` (at most `limit`), and the highest it holds.
    func own(after: Int64, limit: Int, timeout: TimeAmount) async throws -> (highWater: Int64, movements: [ReplicatedMovement]) {
        let answer = try await call(.GET, "/sync/v1/own?after=\(after)&limit=\(limit)", body: nil, timeout: timeout)
        guard case .integer(let held) = answer["highWater"], let movements = ReplicatedMovement.parseList(answer),
            movements.allSatisfy({ $0.origin == own && $0.sequence > after && $0.sequence <= held })
        else { throw Failure(description: "central answered what it holds of the store's movements in a way the store cannot read") }
        return (held, movements)
    }

    struct Pulled {
        let movements: [ReplicatedMovement]
        let cursor: SyncCursor
        let more: Bool
        /// With the last page: central's reserved and blocked figures for the store's shops.
        let figures: CentralFigures?
        /// Central's latest `ForceResync` of this store's link, if it ever had one.
        let resync: String?
        /// A new sync token central has for the store, until the store first uses it.
        let nextToken: String?
        /// The fingerprint of all but the movements, for the next pull's `seen`.
        let state: String?
        /// Central's restores from copies, oldest first.
        let restores: [RestoreMark]
        /// How far central holds the store's own movements, when it says.
        let held: Int64?
    }

    /// A pull that waits at central up to `wait` seconds for news unlike what `seen` names.
    func pull(after cursor: SyncCursor, limit: Int, wait: Int, seen: String?, timeout: TimeAmount) async throws -> Pulled {
        func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        var query = "after=\(escaped(cursor.encoded))&limit=\(limit)&wait=\(wait)"
        if let seen { query += "&seen=\(escaped(seen))" }
        let answer = try await call(.GET, "/sync/v1/pull?" + query, body: nil, timeout: timeout)
        guard let movements = ReplicatedMovement.parseList(answer), case .string(let text) = answer["cursor"],
            let next = SyncCursor(encoded: text), case .bool(let more) = answer["more"]
        else { throw Failure(description: "central answered a pull the store cannot read") }
        return Pulled(
            movements: movements,
            cursor: next,
            more: more,
            figures: answer["figures"].flatMap(CentralFigures.parse),
            resync: { if case .string(let token)? = answer["resync"] { token } else { nil } }(),
            nextToken: { if case .string(let token)? = answer["nextToken"] { token } else { nil } }(),
            state: { if case .string(let state)? = answer["state"] { state } else { nil } }(),
            restores: RestoreMark.parseList(answer["restores"]) ?? [],
            held: { if case .integer(let held)? = answer["held"] { held } else { nil } }()
        )
    }

    private func call(_ method: HTTPMethod, _ path: String, body: JSONValue?, timeout: TimeAmount) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: PeerHeaders.key, value: own.value)
        request.headers.add(name: PeerHeaders.status, value: status().rawValue)
        request.headers.add(name: PeerHeaders.waiting, value: String(waiting()))
        PeerIdentity.stampSoftware(&request.headers)
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            let bytes = JSONWriter.bytes(of: body)
            if bytes.count > 1024 {
                request.headers.add(name: "Content-Encoding", value: "gzip")
                request.body = .bytes(ByteBuffer(bytes: try Gzip.compress(bytes)))
            } else {
                request.body = .bytes(ByteBuffer(bytes: bytes))
            }
        }
        let response = try await OutboundSpan.call("sync \(method.rawValue) \(path.prefix { $0 != "?" })", request) {
            try await client.execute($0, timeout: timeout)
        }
        try checkSpoken(by: response)
        var bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        if response.headers["Content-Encoding"].contains(where: { $0.lowercased() == "gzip" }) {
            bytes = try Gzip.decompress(bytes, limit: 256 << 20)
        }
        let answer = try? JSONReader.read(bytes)
        guard response.status == .ok, let answer else {
            let reason = answer.flatMap { if case .string(let text) = $0["error"] { text } else { nil } } ?? "no readable answer"
            throw Failure(description: "central answered HTTP \(response.status.code): \(reason)", status: response.status.code)
        }
        return answer
    }
}
