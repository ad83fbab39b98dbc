/// One versioned schema change, as statements of one SQL dialect applied in one transaction.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
}
