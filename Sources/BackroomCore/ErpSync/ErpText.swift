/// Every human-readable text of the ErpSync agent, in each of its languages. Numbers and
/// date-times are written by the caller's culture.
public enum ErpText: Sendable, Equatable {
    case stopped
    case waitingForFirstRound
    case idleSince(millis: Int64)
    case syncing(name: String, index: Int, count: Int)
    case lastRound(millis: Int64, connections: Int, changes: Int, errors: Int)
    case failedConnections(String)
    case roundDone(connections: Int, changes: Int, errors: Int)
    case roundNotRun
    case roundRequested
    case adminOnly
    case authenticationRequired
    case lacksRight(user: String)
    case xsrfMissing
    case unknownMethod(String)
    case notAcceptable(String)
    case unsupportedMediaType
    case malformedBody
    case mustBeBoolean(property: String)
    case mustBeInteger(property: String)
    case invalidInterval(String)
    case unknownConnection(Int64)
    case bodyTooLarge
    case internalError
    case connectorName(ConnectorKind)
    case connectorToolTip(ConnectorKind)
    case connectionDescription(ConnectorKind, target: String)

    public func text(in language: ErpLanguage, culture: ErpCulture) -> String {
        let (template, arguments) = parts(culture, language)
        // One pass, so that an argument containing `%2` is never taken for a placeholder.
        var text = ""
        var characters = (template[language] ?? template[.en] ?? "")[...]
        while let character = characters.popFirst() {
            if character == "%", let digit = characters.first?.wholeNumberValue, digit >= 1, digit <= arguments.count {
                characters.removeFirst()
                text += arguments[digit - 1]
            } else {
                text.append(character)
            }
        }
        return text
    }

    private typealias Template = [ErpLanguage: String]

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private func parts(_ culture: ErpCulture, _ language: ErpLanguage) -> (Template, [String]) {
        func counted(_ count: Int, _ noun: CountedNoun) -> String { noun.phrase(count, in: language, culture: culture) }
        switch self {
        case .stopped:
            return ([.en: "Stopped.", .sv: "Stoppad.", .no: "Stoppet.", .da: "Stoppet.", .de: "Angehalten.", .nl: "Gestopt."], [])
        case .waitingForFirstRound:
            return ([
                .en: "Running; the first round is due.", .sv: "Igång; den första omgången väntar.",
                .no: "Kjører; den første runden venter.", .da: "Kører; den første runde venter.",
                .de: "Läuft; die erste Runde steht an.", .nl: "Actief; de eerste ronde volgt.",
            ], [])
        case .idleSince(let millis):
            return ([
                .en: "Idle since %1.", .sv: "Vilande sedan %1.", .no: "Ledig siden %1.", .da: "Ledig siden %1.",
                .de: "Untätig seit %1.", .nl: "Inactief sinds %1.",
            ], [culture.dateTime(millis: millis)])
        case .syncing(let name, let index, let count):
            return ([
                .en: "Syncing %1 (%2 of %3).", .sv: "Synkar %1 (%2 av %3).", .no: "Synkroniserer %1 (%2 av %3).",
                .da: "Synkroniserer %1 (%2 af %3).", .de: "Synchronisiert %1 (%2 von %3).", .nl: "Synchroniseert %1 (%2 van %3).",
            ], [name, culture.number(index), culture.number(count)])
        case .lastRound(let millis, let connections, let changes, let errors):
            return ([
                .en: "Last round %1: %2, %3, %4.", .sv: "Senaste omgång %1: %2, %3, %4.", .no: "Siste runde %1: %2, %3, %4.",
                .da: "Seneste runde %1: %2, %3, %4.", .de: "Letzte Runde %1: %2, %3, %4.", .nl: "Laatste ronde %1: %2, %3, %4.",
            ], [culture.dateTime(millis: millis), counted(connections, .connection), counted(changes, .change), counted(errors, .error)])
        case .failedConnections(let names):
            return ([
                .en: "Failed: %1.", .sv: "Misslyckades: %1.", .no: "Mislyktes: %1.", .da: "Mislykkedes: %1.",
                .de: "Fehlgeschlagen: %1.", .nl: "Mislukt: %1.",
            ], [names])
        case .roundDone(let connections, let changes, let errors):
            return ([
                .en: "Round done: %1, %2, %3.", .sv: "Omgången klar: %1, %2, %3.", .no: "Runden ferdig: %1, %2, %3.",
                .da: "Runden færdig: %1, %2, %3.", .de: "Runde beendet: %1, %2, %3.", .nl: "Ronde klaar: %1, %2, %3.",
            ], [counted(connections, .connection), counted(changes, .change), counted(errors, .error)])
        case .roundNotRun:
            return ([
                .en: "The engine is stopped, so no round was run; ForceSyncAll runs one anyway.",
                .sv: "Motorn är stoppad, så ingen omgång kördes; ForceSyncAll kör en ändå.",
                .no: "Motoren er stoppet, så ingen runde ble kjørt; ForceSyncAll kjører en likevel.",
                .da: "Motoren er stoppet, så ingen runde blev kørt; ForceSyncAll kører en alligevel.",
                .de: "Die Engine ist angehalten, daher lief keine Runde; ForceSyncAll startet trotzdem eine.",
                .nl: "De engine is gestopt, dus er liep geen ronde; ForceSyncAll start er toch een.",
            ], [])
        case .roundRequested:
            return ([
                .en: "A round was requested and is still running.", .sv: "En omgång begärdes och pågår fortfarande.",
                .no: "En runde ble bestilt og pågår fortsatt.", .da: "En runde blev bestilt og kører stadig.",
                .de: "Eine Runde wurde angefordert und läuft noch.", .nl: "Er is een ronde aangevraagd en die loopt nog.",
            ], [])
        case .adminOnly:
            return ([
                .en: "Only an administrator may change this.", .sv: "Endast en administratör får ändra detta.",
                .no: "Bare en administrator kan endre dette.", .da: "Kun en administrator må ændre dette.",
                .de: "Nur ein Administrator darf dies ändern.", .nl: "Alleen een beheerder mag dit wijzigen.",
            ], [])
        case .authenticationRequired:
            return ([
                .en: "Authentication required: send Basic, Bearer or SoTicket credentials.",
                .sv: "Inloggning krävs: skicka Basic-, Bearer- eller SoTicket-uppgifter.",
                .no: "Pålogging kreves: send Basic-, Bearer- eller SoTicket-legitimasjon.",
                .da: "Login kræves: send Basic-, Bearer- eller SoTicket-oplysninger.",
                .de: "Anmeldung erforderlich: senden Sie Basic-, Bearer- oder SoTicket-Anmeldedaten.",
                .nl: "Aanmelding vereist: stuur Basic-, Bearer- of SoTicket-gegevens.",
            ], [])
        case .lacksRight(let user):
            return ([
                .en: "User %1 lacks the right erpsync.", .sv: "Användaren %1 saknar rättigheten erpsync.",
                .no: "Brukeren %1 mangler rettigheten erpsync.", .da: "Brugeren %1 mangler rettigheden erpsync.",
                .de: "Dem Benutzer %1 fehlt das Recht erpsync.", .nl: "Gebruiker %1 mist het recht erpsync.",
            ], [user])
        case .xsrfMissing:
            return ([
                .en: "A request signed in by session cookie must send header X-XSRF-TOKEN equal to the XSRF-TOKEN cookie.",
                .sv: "En begäran som loggats in med sessionskaka måste skicka huvudet X-XSRF-TOKEN lika med kakan XSRF-TOKEN.",
                .no: "En forespørsel pålogget med øktinformasjonskapsel må sende overskriften X-XSRF-TOKEN lik informasjonskapselen XSRF-TOKEN.",
                .da: "En anmodning logget ind med sessionscookie skal sende headeren X-XSRF-TOKEN lig med cookien XSRF-TOKEN.",
                .de: "Eine per Sitzungs-Cookie angemeldete Anfrage muss den Header X-XSRF-TOKEN gleich dem Cookie XSRF-TOKEN senden.",
                .nl: "Een verzoek aangemeld met een sessiecookie moet de header X-XSRF-TOKEN gelijk aan de cookie XSRF-TOKEN sturen.",
            ], [])
        case .unknownMethod(let method):
            return ([
                .en: "Unknown method %1.", .sv: "Okänd metod %1.", .no: "Ukjent metode %1.", .da: "Ukendt metode %1.",
                .de: "Unbekannte Methode %1.", .nl: "Onbekende methode %1.",
            ], [method])
        case .notAcceptable(let accept):
            return ([
                .en: "Cannot answer as %1; accept application/json or application/xml.",
                .sv: "Kan inte svara som %1; acceptera application/json eller application/xml.",
                .no: "Kan ikke svare som %1; godta application/json eller application/xml.",
                .da: "Kan ikke svare som %1; accepter application/json eller application/xml.",
                .de: "Antwort als %1 nicht möglich; akzeptieren Sie application/json oder application/xml.",
                .nl: "Kan niet antwoorden als %1; accepteer application/json of application/xml.",
            ], [accept])
        case .unsupportedMediaType:
            return ([
                .en: "The request body must be JSON, XML or a form.", .sv: "Begärans innehåll måste vara JSON, XML eller ett formulär.",
                .no: "Forespørselens innhold må være JSON, XML eller et skjema.", .da: "Anmodningens indhold skal være JSON, XML eller en formular.",
                .de: "Der Anfrageinhalt muss JSON, XML oder ein Formular sein.", .nl: "De inhoud van het verzoek moet JSON, XML of een formulier zijn.",
            ], [])
        case .malformedBody:
            return ([
                .en: "The request body cannot be read as its Content-Type says.", .sv: "Begärans innehåll kan inte läsas som dess Content-Type anger.",
                .no: "Forespørselens innhold kan ikke leses slik Content-Type sier.", .da: "Anmodningens indhold kan ikke læses som dens Content-Type angiver.",
                .de: "Der Anfrageinhalt kann nicht wie im Content-Type angegeben gelesen werden.",
                .nl: "De inhoud van het verzoek kan niet worden gelezen zoals het Content-Type aangeeft.",
            ], [])
        case .mustBeBoolean(let property):
            return ([
                .en: "%1 must be true or false.", .sv: "%1 måste vara true eller false.", .no: "%1 må være true eller false.",
                .da: "%1 skal være true eller false.", .de: "%1 muss true oder false sein.", .nl: "%1 moet true of false zijn.",
            ], [property])
        case .mustBeInteger(let property):
            return ([
                .en: "%1 must be a whole number.", .sv: "%1 måste vara ett heltal.", .no: "%1 må være et heltall.",
                .da: "%1 skal være et heltal.", .de: "%1 muss eine ganze Zahl sein.", .nl: "%1 moet een geheel getal zijn.",
            ], [property])
        case .invalidInterval(let value):
            return ([
                .en: "Interval must be hh:mm:ss, d.hh:mm:ss or an XML duration (PT5M) from 00:00:01 to 1.00:00:00, not %1.",
                .sv: "Interval måste vara hh:mm:ss, d.hh:mm:ss eller en XML-varaktighet (PT5M) från 00:00:01 till 1.00:00:00, inte %1.",
                .no: "Interval må være hh:mm:ss, d.hh:mm:ss eller en XML-varighet (PT5M) fra 00:00:01 til 1.00:00:00, ikke %1.",
                .da: "Interval skal være hh:mm:ss, d.hh:mm:ss eller en XML-varighed (PT5M) fra 00:00:01 til 1.00:00:00, ikke %1.",
                .de: "Interval muss hh:mm:ss, d.hh:mm:ss oder eine XML-Dauer (PT5M) von 00:00:01 bis 1.00:00:00 sein, nicht %1.",
                .nl: "Interval moet hh:mm:ss, d.hh:mm:ss of een XML-duur (PT5M) zijn, van 00:00:01 tot 1.00:00:00, niet %1.",
            ], [value])
        case .unknownConnection(let id):
            return ([
                .en: "There is no connection %1.", .sv: "Det finns ingen anslutning %1.", .no: "Det finnes ingen tilkobling %1.",
                .da: "Der findes ingen forbindelse %1.", .de: "Es gibt keine Verbindung %1.", .nl: "Er is geen verbinding %1.",
            ], [String(id)])
        case .bodyTooLarge:
            return ([
                .en: "The request body is larger than the server accepts.", .sv: "Begärans innehåll är större än servern tar emot.",
                .no: "Forespørselens innhold er større enn serveren godtar.", .da: "Anmodningens indhold er større end serveren modtager.",
                .de: "Der Anfrageinhalt ist größer, als der Server annimmt.", .nl: "De inhoud van het verzoek is groter dan de server aanneemt.",
            ], [])
        case .internalError:
            return ([
                .en: "Internal server error.", .sv: "Internt serverfel.", .no: "Intern serverfeil.", .da: "Intern serverfejl.",
                .de: "Interner Serverfehler.", .nl: "Interne serverfout.",
            ], [])
        case .connectorName(.storeLink):
            return ([.en: "Store server", .sv: "Butiksserver", .no: "Butikkserver", .da: "Butiksserver", .de: "Filialserver", .nl: "Winkelserver"], [])
        case .connectorName(.centralLink):
            return ([.en: "Central server", .sv: "Centralserver", .no: "Sentralserver", .da: "Centralserver", .de: "Zentralserver", .nl: "Centrale server"], [])
        case .connectorName(.erpFiles):
            return ([.en: "ERP files", .sv: "ERP-filer", .no: "ERP-filer", .da: "ERP-filer", .de: "ERP-Dateien", .nl: "ERP-bestanden"], [])
        case .connectorToolTip(.storeLink):
            return ([
                .en: "Movements between central and a store server; the store pushes and pulls, central checks it is there.",
                .sv: "Rörelser mellan centralen och en butiksserver; butiken skickar och hämtar, centralen kontrollerar att den finns.",
                .no: "Bevegelser mellom sentralen og en butikkserver; butikken sender og henter, sentralen sjekker at den er der.",
                .da: "Bevægelser mellem centralen og en butiksserver; butikken sender og henter, centralen tjekker at den er der.",
                .de: "Bewegungen zwischen Zentrale und Filialserver; die Filiale sendet und holt, die Zentrale prüft, ob sie erreichbar ist.",
                .nl: "Mutaties tussen de centrale en een winkelserver; de winkel stuurt en haalt op, de centrale controleert of hij er is.",
            ], [])
        case .connectorToolTip(.centralLink):
            return ([
                .en: "This store's link to central: its sales go up, central's changes for its shops come down.",
                .sv: "Butikens länk till centralen: försäljningen skickas upp, centralens ändringar för butikerna hämtas ner.",
                .no: "Butikkens kobling til sentralen: salget sendes opp, sentralens endringer for butikkene hentes ned.",
                .da: "Butikkens forbindelse til centralen: salget sendes op, centralens ændringer for butikkerne hentes ned.",
                .de: "Die Verbindung dieser Filiale zur Zentrale: Verkäufe gehen hinauf, Änderungen der Zentrale kommen herunter.",
                .nl: "De koppeling van deze winkel met de centrale: verkopen gaan omhoog, wijzigingen van de centrale komen omlaag.",
            ], [])
        case .connectorToolTip(.erpFiles):
            return ([
                .en: "Imports products, stock counts and goods received from the folder's in/, and writes every movement once to out/ as JSON Lines.",
                .sv: "Läser in artiklar, inventeringar och inleveranser från mappens in/ och skriver varje rörelse en gång till out/ som JSON Lines.",
                .no: "Leser inn varer, varetellinger og varemottak fra mappens in/ og skriver hver bevegelse én gang til out/ som JSON Lines.",
                .da: "Indlæser varer, optællinger og varemodtagelser fra mappens in/ og skriver hver bevægelse én gang til out/ som JSON Lines.",
                .de: "Importiert Artikel, Inventuren und Wareneingänge aus in/ des Ordners und schreibt jede Bewegung einmal als JSON Lines nach out/.",
                .nl: "Leest artikelen, tellingen en ontvangsten in uit in/ van de map en schrijft elke mutatie één keer naar out/ als JSON Lines.",
            ], [])
        case .connectionDescription(.storeLink, let target):
            return ([
                .en: "Store server at %1", .sv: "Butiksserver på %1", .no: "Butikkserver på %1", .da: "Butiksserver på %1",
                .de: "Filialserver unter %1", .nl: "Winkelserver op %1",
            ], [target])
        case .connectionDescription(.centralLink, let target):
            return ([
                .en: "Central server at %1", .sv: "Centralserver på %1", .no: "Sentralserver på %1", .da: "Centralserver på %1",
                .de: "Zentralserver unter %1", .nl: "Centrale server op %1",
            ], [target])
        case .connectionDescription(.erpFiles, let target):
            return ([
                .en: "ERP files in %1", .sv: "ERP-filer i %1", .no: "ERP-filer i %1", .da: "ERP-filer i %1",
                .de: "ERP-Dateien in %1", .nl: "ERP-bestanden in %1",
            ], [target])
        }
    }
}

/// What a round counts, written after its number: singular for exactly one, plural otherwise,
/// zero included, as in every language the agent speaks.
private enum CountedNoun {
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
