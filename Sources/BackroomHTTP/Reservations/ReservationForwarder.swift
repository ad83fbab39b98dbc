import AsyncHTTPClient
import BackroomCore
import BackroomStorage
import BackroomSync
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// On a store, the reservation service is central's: reservations live on central only. While
/// the link to central works, requests are passed on as they came (credentials included, which
/// central checks) and central's answer is passed back; otherwise they are answered 503 with
/// exception 21008. The client's address goes along under the store's own token, so that
/// central throttles the client, not the store every till's request comes through.
struct ReservationForwarder {
    static let forwardedRequestHeaders: [HTTPField.Name] = [.authorization, .contentType, .accept, .idempotencyKey]
    static let forwardedResponseHeaders: [HTTPField.Name] = [.contentType, .location, .wwwAuthenticate]

    let storage: any PreferenceStore
    /// The central URL the store's link uses now.
    let centralURL: @Sendable () -> String
    /// The store's sync token now, which vouches for the client address it sends.
    let storeToken: @Sendable () -> String
    let identity: PeerIdentity
    /// What central's certificate is checked against.
    let tls: OutboundTLS

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            group.on("**", method: method, use: forward)
        }
    }

    @Sendable func forward(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard identity.status.linkWorks else { throw Self.unreachable }
        var outgoing = HTTPClientRequest(url: centralURL().trimmingTrailingSlash + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for name in Self.forwardedRequestHeaders {
            for value in request.headers[values: name] { outgoing.headers.add(name: name.rawName, value: value) }
        }
        identity.stamp(&outgoing.headers)
        outgoing.headers.replaceOrAdd(name: PeerHeaders.clientAddress, value: context.clientAddress)
        outgoing.headers.replaceOrAdd(name: PeerHeaders.storeToken, value: storeToken())
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        if body.readableBytes > 0 { outgoing.body = .bytes(body) }
        let readMinutes = Preference.readTimeout.effectiveValue(stored: try await storage.storedPreference(.readTimeout))
        let answer: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            (answer, bytes) = try await OutboundSpan.call("forward to central", outgoing) {
                try await tls.execute($0, timeout: .minutes(Int64(readMinutes)), limit: 64 << 20)
            }
        } catch {
            context.logger.warning("central did not answer a forwarded reservation request", metadata: ["error": "\(error)"])
            throw Self.unreachable
        }
        var headers = HTTPFields()
        for name in Self.forwardedResponseHeaders {
            for value in answer.headers[name.rawName] { headers.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: .init(byteBuffer: bytes))
    }

    static var unreachable: EnvelopeError {
        .coded(.serviceUnavailable, code: "21008", "The central server cannot be reached; try again when the store is back online")
    }
}

extension String {
    fileprivate var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
