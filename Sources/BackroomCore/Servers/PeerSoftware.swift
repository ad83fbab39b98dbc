/// What software a server runs: its release, and the version of the store ↔ central sync
/// protocol it speaks, which every server-to-server call carries (`PeerHeaders`).
///
/// The rule of the suite Backroom replaces holds: central first, then the stores, so a store may
/// be older than central but never newer. A store whose protocol is newer than central's does
/// not sync (either side could misread the other) and keeps selling.
public struct PeerSoftware: Sendable, Equatable {
    public let version: String
    public let syncProtocol: Int

    /// This build. Protocol 2 added what a store squares with central after either side was
    /// restored from a copy (`GET /sync/v1/own`, a push's `after`, a pull's `held` and `restores`);
    /// 3, the stock snapshot a store loads (`StockSnapshot`), which retention needs: a store
    /// before it loads on hand as the sum of movements, and central refuses it once some are deleted.
    public static let current = PeerSoftware(version: "0.26.0", syncProtocol: 3)
    /// The first protocol whose stores load a stock snapshot.
    public static let snapshotProtocol = 3
    /// What a server says nothing of its protocol speaks: the protocol before it was named.
    public static let unnamedProtocol = 1
    public static let longestVersion = 64

    public init(version: String, syncProtocol: Int) {
        self.version = version
        self.syncProtocol = syncProtocol
    }

    /// The software a peer's headers name; nil when they name none or nonsense.
    public init?(version: String?, syncProtocol: String?) {
        guard let version, (1...Self.longestVersion).contains(version.utf8.count),
            version.utf8.allSatisfy({
                $0 < 0x80
                    && ($0 == 0x2E || $0 == 0x2D || $0 == 0x2B || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                        || (0x61...0x7A).contains($0))
            }),
            let text = syncProtocol, let number = Int(text), (1...1_000_000).contains(number)
        else { return nil }
        self.init(version: version, syncProtocol: number)
    }

    /// Whether a store speaking `store` may sync with a central speaking `central`.
    public static func maySync(store: Int, central: Int) -> Bool {
        store <= central
    }

    /// Why a store newer than its central does not sync, in the words both consoles show.
    public static func newerThanCentral(store: Int, central: Int) -> String {
        "the store speaks sync protocol \(store) and central only \(central): update central first (a store is never newer than central); "
            + "the store keeps selling and syncs once central is updated"
    }

    public var description: String { "\(version) (sync protocol \(syncProtocol))" }
}
