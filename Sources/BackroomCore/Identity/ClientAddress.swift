/// Who sent a request, for throttling, the audit log and the request log (the spec's "HTTP
/// behaviour common to every family"): the socket's peer, unless that peer is a proxy the
/// operator trusts; then the right-most address of `X-Forwarded-For` (or, without it,
/// `Forwarded`) that is not itself a trusted proxy. A header from anyone else is ignored, so
/// a client cannot pick the address it is throttled under.
public enum ClientAddress {
    /// `peer` as the socket gives it; `forwardedFor` and `forwarded` every value of those
    /// headers, in the order received.
    public static func resolve(peer: String, forwardedFor: [String], forwarded: [String], trusted: [AddressRange]) -> String {
        guard !trusted.isEmpty, let peerAddress = NetworkAddress(peer), isTrusted(peerAddress, trusted) else { return peer }
        let hops = !forwardedFor.isEmpty ? forwardedFor.flatMap(Self.forwardedForHops) : forwarded.flatMap(Self.forwardedHops)
        var client = peerAddress
        for hop in hops.reversed() {
            // A hop that is not an address (`unknown`, an obfuscated name, garbage) ends the
            // walk: nothing left of it was written by a proxy that can be trusted.
            guard let address = NetworkAddress(hop) else { break }
            client = address
            if !isTrusted(address, trusted) { break }
        }
        return client.description
    }

    private static func isTrusted(_ address: NetworkAddress, _ trusted: [AddressRange]) -> Bool {
        trusted.contains { $0.contains(address) }
    }

    /// `203.0.113.7, 10.0.0.2`.
    private static func forwardedForHops(_ value: String) -> [String] {
        value.split(separator: ",").map { String($0.trimmingOptionalWhitespace) }
    }

    /// RFC 7239: `for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"`; an element without
    /// `for` is a hop that said nothing, which ends the walk as garbage would.
    private static func forwardedHops(_ value: String) -> [String] {
        value.split(separator: ",").map { element in
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingOptionalWhitespace.lowercased() == "for" else { continue }
                var node = Substring(parts[1].trimmingOptionalWhitespace)
                if node.hasPrefix("\""), node.hasSuffix("\""), node.count >= 2 { node = node.dropFirst().dropLast() }
                if node.hasPrefix("[") {
                    guard let close = node.firstIndex(of: "]") else { return "" }
                    return String(node[node.index(after: node.startIndex)..<close])
                }
                // IPv4 with an optional port.
                return String(node.split(separator: ":", maxSplits: 1).first ?? "")
            }
            return ""
        }
    }
}
