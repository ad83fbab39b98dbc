import AsyncHTTPClient
import NIOCore

/// Requests to `backroom` processes, each on a connection of its own. The tests' processes come
/// and go on ports the kernel hands out again: a kept-alive connection to a server that is still
/// shutting down would otherwise carry a request meant for the next server on its port (it did
/// once: a reservation "lost" was asked of the other test's server).
enum ProcessHTTP {
    static func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        var request = request
        request.headers.replaceOrAdd(name: "Connection", value: "close")
        return try await HTTPClient.shared.execute(request, timeout: timeout)
    }
}
