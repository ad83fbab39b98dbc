/// What a round counts, written after its number: singular for exactly one, plural otherwise,
/// zero included, as in every language the agent speaks.
enum CountedNoun {
    case connection, change, error

    func phrase(_ count: Int, in language: ErpLanguage, culture: ErpCulture) -> String {
        let (one, other) = forms(language)
        return culture.number(count) + " " + (count == 1 ? one : other)
    }

    private func forms(_ language: ErpLanguage) -> (one: String, other: String) {
        switch (self, language) {
        case (.connection, .en): ("connection", "connections")
        case (.connection, .sv): ("anslutning", "anslutningar")
        case (.connection, .no): ("tilkobling", "tilkoblinger")
        case (.connection, .da): ("forbindelse", "forbindelser")
        case (.connection, .de): ("Verbindung", "Verbindungen")
        case (.connection, .nl): ("verbinding", "verbindingen")
        case (.change, .en): ("change", "changes")
        case (.change, .sv): ("ändring", "ändringar")
        case (.change, .no): ("endring", "endringer")
        case (.change, .da): ("ændring", "ændringer")
        case (.change, .de): ("Änderung", "Änderungen")
        case (.change, .nl): ("wijziging", "wijzigingen")
        case (.error, .en): ("error", "errors")
        case (.error, .sv): ("fel", "fel")
        case (.error, .no): ("feil", "feil")
        case (.error, .da): ("fejl", "fejl")
        case (.error, .de): ("Fehler", "Fehler")
        case (.error, .nl): ("fout", "fouten")
        }
    }
}
