import BackroomCore

/// Every text the console's controllers write — page titles, notices after a form, alerts, the
/// charts' titles — in one catalogue (English now), beside the templates' own texts in
/// `ConsoleTemplates`, so that a translation replaces the two.
enum ConsoleText {
    enum Title {
        static let signIn = "Sign in"
        static let overview = "Overview"
        static let stores = "Stores"
        static func store(_ key: ServerKey) -> String { "Store \(key.value)" }
        static let noSuchStore = "No such store"
        static let engine = "Sync engine"
        static let erp = "ERP"
        static let stock = "Stock"
        static let reservations = "Reservations"
        static let users = "Users and tokens"
        static let preferences = "Preferences"
        static let audit = "Audit log"
        static let refused = "Not for you"
        static let api = "API"
    }

    static let wrongPassword = "Wrong user name or password."
    static let nothingToDo = "Nothing to do."

    enum Alert {
        static func offlineSince(_ key: ServerKey, _ since: String) -> String { "Store \(key.value) is OFF since \(since)." }
        static func neverOnline(_ key: ServerKey) -> String { "Store \(key.value) has never been online." }
        static func refusedFiles(_ connection: String, _ count: Int) -> String {
            "ERP connection \(connection) has \(count) refused file\(count == 1 ? "" : "s")."
        }
        static func lockTimeouts(_ count: Int) -> String {
            "\(count) reservation request\(count == 1 ? "" : "s") failed on a lock time-out in the last hour."
        }
    }

    enum Chart {
        static let reservations = "Reservation requests per minute"
        static func reservationsSummary(granted: Int, refused: Int) -> String { "Over the last hour: \(granted) granted, \(refused) refused." }
        static func lag(_ key: ServerKey) -> String { "Replication lag of \(key.value)" }
        static let lagSummary = "The age of the oldest movement waiting for the store, sampled each minute of the last hour."
    }

    enum Stores {
        static func noSuchServer(_ key: String) -> String { "There is no server \(key)." }
        static func isThisServer(_ key: ServerKey, _ status: ServerStatus) -> String { "\(key.value) is this server: it is \(status.rawValue)." }
        static func answered(_ key: ServerKey, _ status: ServerStatus, because reason: String?) -> String {
            "\(key.value) answered \(status.rawValue)\(reason.map { " (\($0))" } ?? "")."
        }
    }

    enum Engine {
        static func running(_ running: Bool) -> String { running ? "The engine runs." : "The engine is stopped." }
        static func badInterval(shortest: Int, longest: Int) -> String {
            "The interval must be whole seconds from \(shortest) to \(longest)."
        }
        static func interval(_ interval: SyncInterval) -> String { "Rounds run every \(interval)." }
        static let roundStillRuns = "A round was asked for and still runs."
        static let noSuchConnection = "There is no such connection."
        static func toggled(_ name: String, active: Bool) -> String { "\(name) is \(active ? "active" : "inactive")." }
        static func reached(_ name: String, _ reached: Bool) -> String { reached ? "\(name) can be reached." : "\(name) cannot be reached." }
        static func cannotResync(_ name: String) -> String { "\(name) cannot be resynced." }
        static func firstAlready(_ name: String) -> String { "\(name) is visited first already." }
        static func earlier(_ name: String) -> String { "\(name) is visited earlier." }
    }

    enum Stock {
        static let shopAndProductNeeded = "A shop and a product are needed."
        static let notConfirmed = "Nothing was set: confirm that you counted it."
        static let badQuantity = "On hand must be a whole number from 0."
        static func noSuchShop(_ shop: Int) -> String { "There is no shop \(shop)." }
        static func set(_ product: String, shop: Int, onHand: Int64) -> String { "\(product) in shop \(shop): on hand is \(onHand)." }
    }

    enum Reservations {
        static let noSuchReservation = "There is no such reservation."
        static func cancelled(_ id: Int64) -> String { "Reservation \(id) is cancelled." }
        static func cannotCancel(_ id: Int64) -> String { "Reservation \(id) cannot be cancelled." }
    }

    enum Users {
        static let nameAndPasswordNeeded = "A name and a password are needed."
        static func nameTaken(_ name: String) -> String { "The user name \(name) is taken." }
        static func added(_ name: String) -> String { "\(name) is added." }
        static let cannotDisableYourself = "You cannot disable yourself."
        static func noSuchUser(_ name: String) -> String { "There is no user \(name)." }
        static func disabled(_ name: String, _ disabled: Bool) -> String { "\(name) is \(disabled ? "disabled" : "enabled")." }
        static func noSuchToken(_ id: String) -> String { "There is no token \(id)." }
        static func revoked(_ id: String) -> String { "Token \(id) is revoked." }
    }

    static func preferenceSet(_ name: String, _ value: String) -> String { "\(name) is \(value)." }
}
