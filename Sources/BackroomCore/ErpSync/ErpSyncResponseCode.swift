/// The original agent's `ErpSyncResponseCode`, what `CanDeleteErpSyncConnectorEntity` and
/// `TestConnectorUrl` answer: clients generated from its Swagger document and XML schema
/// read one of these words, never free text.
public enum ErpSyncResponseCode: String, Sendable, CaseIterable {
    case noError = "NoError"
    case errorConnectorHasConnections = "ErrorConnectorHasConnections"
    case errorNotFound = "ErrorNotFound"

    /// Whether a connector may be deleted, from the reason it may not: a built-in connector
    /// is never deletable, which the original words as having connections.
    public init(reasonNotToDelete reason: ErpText?) {
        switch reason {
        case nil: self = .noError
        case .unknownConnector?: self = .errorNotFound
        default: self = .errorConnectorHasConnections
        }
    }

    /// Whether a URL answers as a connector: every failure is one word, so that the answer
    /// tells nothing of why (a refused port, a silent host and a forbidden address alike).
    public init(reasonNotReached reason: String?) {
        self = reason == nil ? .noError : .errorNotFound
    }

    public var value: ErpValue { .enumeration(type: "ErpSyncResponseCode", rawValue) }
}
