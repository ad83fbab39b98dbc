/// A value a row must hold. A row Backroom cannot read (a null where none belongs, a name no
/// version wrote) fails the request with `StorageError.unreadableRow`, rather than being left
/// out as if it were not there: a reservation or a user that silently vanishes is worse.
func readable<Value>(_ value: Value?, in table: String) throws -> Value {
    guard let value else { throw StorageError.unreadableRow(table) }
    return value
}
