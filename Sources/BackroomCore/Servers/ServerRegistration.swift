/// A server as it is entered into the registry by `backroom server add` or the demo data.
public struct ServerRegistration: Sendable, Equatable {
    public let key: ServerKey
    public let name: String
    public let type: ServerType
    public let url: String?
    public let shops: [Int]

    public init(key: ServerKey, name: String, type: ServerType, url: String?, shops: [Int]) {
        self.key = key
        self.name = name
        self.type = type
        self.url = url
        self.shops = shops
    }
}
