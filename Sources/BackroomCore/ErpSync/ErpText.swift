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
    case authenticationRequired
    case tooManySignIns(seconds: Int)
    /// The user lacks `right` (`erpsync` for the agent itself, `admin` for a store link).
    case lacksRight(user: String, right: String)
    case xsrfMissing
    case unknownMethod(String)
    case notAcceptable(String)
    case unsupportedMediaType
    case malformedBody
    case mustBeBoolean(property: String)
    case mustBeInteger(property: String)
    case mustBeObject(property: String)
    case mustBeText(property: String)
    case invalidInterval(String)
    case unknownConnection(Int64)
    case bodyTooLarge
    case internalError
    case databaseUnavailable
    case connectorName(ConnectorKind)
    case connectorToolTip(ConnectorKind)
    case connectionDescription(ConnectorKind, target: String)
    case visitOrder(String)
    case connectionDeleted(Int64)
    case unknownConnector(Int64)
    case connectorFixed(Int64)
    case connectorInUse(Int64)
    case centralLinkMadeByServer
    case connectorChanged
    case fieldName(String)
    case fieldDescription(String)
    case settingProblem(ConnectorSettingProblem)
    case resyncFilesAll
    case resyncFilesSome(Int)
    case resyncHTTPAll
    case resyncHTTPSome(Int)
    case resyncStore(String)
    case resyncFromCentral

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

    typealias Template = [ErpLanguage: String]

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private func parts(_ culture: ErpCulture, _ language: ErpLanguage) -> (Template, [String]) {
        func counted(_ count: Int, _ noun: CountedNoun) -> String { noun.phrase(count, in: language, culture: culture) }
        switch self {
        case .stopped:
            return ([.en: "Stopped.", .sv: "Stoppad.", .no: "Stoppet.", .da: "Stoppet.", .de: "Angehalten.", .nl: "Gestopt."], [])
        case .waitingForFirstRound:
            return (
                [
                    .en: "Running; the first round is due.", .sv: "Igång; den första omgången väntar.",
                    .no: "Kjører; den første runden venter.", .da: "Kører; den første runde venter.",
                    .de: "Läuft; die erste Runde steht an.", .nl: "Actief; de eerste ronde volgt.",
                ], []
            )
        case .idleSince(let millis):
            return (
                [
                    .en: "Idle since %1.", .sv: "Vilande sedan %1.", .no: "Ledig siden %1.", .da: "Ledig siden %1.",
                    .de: "Untätig seit %1.", .nl: "Inactief sinds %1.",
                ], [culture.dateTime(millis: millis)]
            )
        case .syncing(let name, let index, let count):
            return (
                [
                    .en: "Syncing %1 (%2 of %3).", .sv: "Synkar %1 (%2 av %3).", .no: "Synkroniserer %1 (%2 av %3).",
                    .da: "Synkroniserer %1 (%2 af %3).", .de: "Synchronisiert %1 (%2 von %3).", .nl: "Synchroniseert %1 (%2 van %3).",
                ], [name, culture.number(index), culture.number(count)]
            )
        case .lastRound(let millis, let connections, let changes, let errors):
            return (
                [
                    .en: "Last round %1: %2, %3, %4.", .sv: "Senaste omgång %1: %2, %3, %4.", .no: "Siste runde %1: %2, %3, %4.",
                    .da: "Seneste runde %1: %2, %3, %4.", .de: "Letzte Runde %1: %2, %3, %4.", .nl: "Laatste ronde %1: %2, %3, %4.",
                ], [culture.dateTime(millis: millis), counted(connections, .connection), counted(changes, .change), counted(errors, .error)]
            )
        case .failedConnections(let names):
            return (
                [
                    .en: "Failed: %1.", .sv: "Misslyckades: %1.", .no: "Mislyktes: %1.", .da: "Mislykkedes: %1.",
                    .de: "Fehlgeschlagen: %1.", .nl: "Mislukt: %1.",
                ], [names]
            )
        case .roundDone(let connections, let changes, let errors):
            return (
                [
                    .en: "Round done: %1, %2, %3.", .sv: "Omgången klar: %1, %2, %3.", .no: "Runden ferdig: %1, %2, %3.",
                    .da: "Runden færdig: %1, %2, %3.", .de: "Runde beendet: %1, %2, %3.", .nl: "Ronde klaar: %1, %2, %3.",
                ], [counted(connections, .connection), counted(changes, .change), counted(errors, .error)]
            )
        case .roundNotRun:
            return (
                [
                    .en: "The engine is stopped, so no round was run; ForceSyncAll runs one anyway.",
                    .sv: "Motorn är stoppad, så ingen omgång kördes; ForceSyncAll kör en ändå.",
                    .no: "Motoren er stoppet, så ingen runde ble kjørt; ForceSyncAll kjører en likevel.",
                    .da: "Motoren er stoppet, så ingen runde blev kørt; ForceSyncAll kører en alligevel.",
                    .de: "Die Engine ist angehalten, daher lief keine Runde; ForceSyncAll startet trotzdem eine.",
                    .nl: "De engine is gestopt, dus er liep geen ronde; ForceSyncAll start er toch een.",
                ], []
            )
        case .roundRequested:
            return (
                [
                    .en: "A round was requested and is still running.", .sv: "En omgång begärdes och pågår fortfarande.",
                    .no: "En runde ble bestilt og pågår fortsatt.", .da: "En runde blev bestilt og kører stadig.",
                    .de: "Eine Runde wurde angefordert und läuft noch.", .nl: "Er is een ronde aangevraagd en die loopt nog.",
                ], []
            )
        case .authenticationRequired:
            return (
                [
                    .en: "Authentication required: send Basic, Bearer or SoTicket credentials.",
                    .sv: "Inloggning krävs: skicka Basic-, Bearer- eller SoTicket-uppgifter.",
                    .no: "Pålogging kreves: send Basic-, Bearer- eller SoTicket-legitimasjon.",
                    .da: "Login kræves: send Basic-, Bearer- eller SoTicket-oplysninger.",
                    .de: "Anmeldung erforderlich: senden Sie Basic-, Bearer- oder SoTicket-Anmeldedaten.",
                    .nl: "Aanmelding vereist: stuur Basic-, Bearer- of SoTicket-gegevens.",
                ], []
            )
        case .lacksRight(let user, let right):
            return (
                [
                    .en: "User %1 lacks the right %2.", .sv: "Användaren %1 saknar rättigheten %2.",
                    .no: "Brukeren %1 mangler rettigheten %2.", .da: "Brugeren %1 mangler rettigheden %2.",
                    .de: "Dem Benutzer %1 fehlt das Recht %2.", .nl: "Gebruiker %1 mist het recht %2.",
                ], [user, right]
            )
        case .xsrfMissing:
            return (
                [
                    .en: "A request signed in by session cookie must send header X-XSRF-TOKEN equal to the XSRF-TOKEN cookie.",
                    .sv: "En begäran som loggats in med sessionskaka måste skicka huvudet X-XSRF-TOKEN lika med kakan XSRF-TOKEN.",
                    .no: "En forespørsel pålogget med øktinformasjonskapsel må sende overskriften X-XSRF-TOKEN lik informasjonskapselen XSRF-TOKEN.",
                    .da: "En anmodning logget ind med sessionscookie skal sende headeren X-XSRF-TOKEN lig med cookien XSRF-TOKEN.",
                    .de: "Eine per Sitzungs-Cookie angemeldete Anfrage muss den Header X-XSRF-TOKEN gleich dem Cookie XSRF-TOKEN senden.",
                    .nl: "Een verzoek aangemeld met een sessiecookie moet de header X-XSRF-TOKEN gelijk aan de cookie XSRF-TOKEN sturen.",
                ], []
            )
        case .unknownMethod(let method):
            return (
                [
                    .en: "Unknown method %1.", .sv: "Okänd metod %1.", .no: "Ukjent metode %1.", .da: "Ukendt metode %1.",
                    .de: "Unbekannte Methode %1.", .nl: "Onbekende methode %1.",
                ], [method]
            )
        case .notAcceptable(let accept):
            return (
                [
                    .en: "Cannot answer as %1; accept application/json or application/xml.",
                    .sv: "Kan inte svara som %1; acceptera application/json eller application/xml.",
                    .no: "Kan ikke svare som %1; godta application/json eller application/xml.",
                    .da: "Kan ikke svare som %1; accepter application/json eller application/xml.",
                    .de: "Antwort als %1 nicht möglich; akzeptieren Sie application/json oder application/xml.",
                    .nl: "Kan niet antwoorden als %1; accepteer application/json of application/xml.",
                ], [accept]
            )
        case .unsupportedMediaType:
            return (
                [
                    .en: "The request body must be JSON, XML or a form.", .sv: "Begärans innehåll måste vara JSON, XML eller ett formulär.",
                    .no: "Forespørselens innhold må være JSON, XML eller et skjema.",
                    .da: "Anmodningens indhold skal være JSON, XML eller en formular.",
                    .de: "Der Anfrageinhalt muss JSON, XML oder ein Formular sein.",
                    .nl: "De inhoud van het verzoek moet JSON, XML of een formulier zijn.",
                ], []
            )
        case .malformedBody:
            return (
                [
                    .en: "The request body cannot be read as its Content-Type says.",
                    .sv: "Begärans innehåll kan inte läsas som dess Content-Type anger.",
                    .no: "Forespørselens innhold kan ikke leses slik Content-Type sier.",
                    .da: "Anmodningens indhold kan ikke læses som dens Content-Type angiver.",
                    .de: "Der Anfrageinhalt kann nicht wie im Content-Type angegeben gelesen werden.",
                    .nl: "De inhoud van het verzoek kan niet worden gelezen zoals het Content-Type aangeeft.",
                ], []
            )
        case .mustBeBoolean(let property):
            return (
                [
                    .en: "%1 must be true or false.", .sv: "%1 måste vara true eller false.", .no: "%1 må være true eller false.",
                    .da: "%1 skal være true eller false.", .de: "%1 muss true oder false sein.", .nl: "%1 moet true of false zijn.",
                ], [property]
            )
        case .mustBeInteger(let property):
            return (
                [
                    .en: "%1 must be a whole number.", .sv: "%1 måste vara ett heltal.", .no: "%1 må være et heltall.",
                    .da: "%1 skal være et heltal.", .de: "%1 muss eine ganze Zahl sein.", .nl: "%1 moet een geheel getal zijn.",
                ], [property]
            )
        case .mustBeObject(let property):
            return (
                [
                    .en: "%1 must be an object.", .sv: "%1 måste vara ett objekt.", .no: "%1 må være et objekt.",
                    .da: "%1 skal være et objekt.", .de: "%1 muss ein Objekt sein.", .nl: "%1 moet een object zijn.",
                ], [property]
            )
        case .mustBeText(let property):
            return (
                [
                    .en: "%1 must be a text.", .sv: "%1 måste vara en text.", .no: "%1 må være en tekst.",
                    .da: "%1 skal være en tekst.", .de: "%1 muss ein Text sein.", .nl: "%1 moet een tekst zijn.",
                ], [property]
            )
        case .invalidInterval(let value):
            return (
                [
                    .en: "Interval must be hh:mm:ss, d.hh:mm:ss or an XML duration (PT5M) from 00:00:01 to 1.00:00:00, not %1.",
                    .sv: "Interval måste vara hh:mm:ss, d.hh:mm:ss eller en XML-varaktighet (PT5M) från 00:00:01 till 1.00:00:00, inte %1.",
                    .no: "Interval må være hh:mm:ss, d.hh:mm:ss eller en XML-varighet (PT5M) fra 00:00:01 til 1.00:00:00, ikke %1.",
                    .da: "Interval skal være hh:mm:ss, d.hh:mm:ss eller en XML-varighed (PT5M) fra 00:00:01 til 1.00:00:00, ikke %1.",
                    .de: "Interval muss hh:mm:ss, d.hh:mm:ss oder eine XML-Dauer (PT5M) von 00:00:01 bis 1.00:00:00 sein, nicht %1.",
                    .nl: "Interval moet hh:mm:ss, d.hh:mm:ss of een XML-duur (PT5M) zijn, van 00:00:01 tot 1.00:00:00, niet %1.",
                ], [value]
            )
        case .unknownConnection(let id):
            return (
                [
                    .en: "There is no connection %1.", .sv: "Det finns ingen anslutning %1.", .no: "Det finnes ingen tilkobling %1.",
                    .da: "Der findes ingen forbindelse %1.", .de: "Es gibt keine Verbindung %1.", .nl: "Er is geen verbinding %1.",
                ], [String(id)]
            )
        case .tooManySignIns(let seconds):
            return (
                [
                    .en: "Too many failed sign-ins from this address: try again in %1 s.",
                    .sv: "För många misslyckade inloggningar från den här adressen: försök igen om %1 s.",
                    .no: "For mange mislykkede pålogginger fra denne adressen: prøv igjen om %1 s.",
                    .da: "For mange mislykkede logins fra denne adresse: prøv igen om %1 s.",
                    .de: "Zu viele fehlgeschlagene Anmeldungen von dieser Adresse: versuchen Sie es in %1 s erneut.",
                    .nl: "Te veel mislukte aanmeldingen vanaf dit adres: probeer het over %1 s opnieuw.",
                ], [String(seconds)]
            )
        case .bodyTooLarge:
            return (
                [
                    .en: "The request body is larger than the server accepts.", .sv: "Begärans innehåll är större än servern tar emot.",
                    .no: "Forespørselens innhold er større enn serveren godtar.", .da: "Anmodningens indhold er større end serveren modtager.",
                    .de: "Der Anfrageinhalt ist größer, als der Server annimmt.", .nl: "De inhoud van het verzoek is groter dan de server aanneemt.",
                ], []
            )
        case .internalError:
            return (
                [
                    .en: "Internal server error.", .sv: "Internt serverfel.", .no: "Intern serverfeil.", .da: "Intern serverfejl.",
                    .de: "Interner Serverfehler.", .nl: "Interne serverfout.",
                ], []
            )
        case .databaseUnavailable:
            return (
                [
                    .en: "The database cannot be reached at the moment; try again shortly.",
                    .sv: "Databasen kan inte nås just nu; försök igen om en stund.",
                    .no: "Databasen kan ikke nås akkurat nå; prøv igjen om litt.",
                    .da: "Databasen kan ikke nås lige nu; prøv igen om lidt.",
                    .de: "Die Datenbank ist im Moment nicht erreichbar; versuchen Sie es gleich noch einmal.",
                    .nl: "De database is op dit moment niet bereikbaar; probeer het zo opnieuw.",
                ], []
            )
        case .connectorName(.storeLink):
            return (
                [.en: "Store server", .sv: "Butiksserver", .no: "Butikkserver", .da: "Butiksserver", .de: "Filialserver", .nl: "Winkelserver"], []
            )
        case .connectorName(.centralLink):
            return (
                [
                    .en: "Central server", .sv: "Centralserver", .no: "Sentralserver", .da: "Centralserver", .de: "Zentralserver",
                    .nl: "Centrale server",
                ], []
            )
        case .connectorName(.erpFiles):
            return ([.en: "ERP files", .sv: "ERP-filer", .no: "ERP-filer", .da: "ERP-filer", .de: "ERP-Dateien", .nl: "ERP-bestanden"], [])
        case .connectorToolTip(.storeLink):
            return (
                [
                    .en: "Movements between central and a store server; the store pushes and pulls, central checks it is there.",
                    .sv: "Rörelser mellan centralen och en butiksserver; butiken skickar och hämtar, centralen kontrollerar att den finns.",
                    .no: "Bevegelser mellom sentralen og en butikkserver; butikken sender og henter, sentralen sjekker at den er der.",
                    .da: "Bevægelser mellem centralen og en butiksserver; butikken sender og henter, centralen tjekker at den er der.",
                    .de: "Bewegungen zwischen Zentrale und Filialserver; die Filiale sendet und holt, die Zentrale prüft, ob sie erreichbar ist.",
                    .nl: "Mutaties tussen de centrale en een winkelserver; de winkel stuurt en haalt op, de centrale controleert of hij er is.",
                ], []
            )
        case .connectorToolTip(.centralLink):
            return (
                [
                    .en: "This store's link to central: its sales go up, central's changes for its shops come down.",
                    .sv: "Butikens länk till centralen: försäljningen skickas upp, centralens ändringar för butikerna hämtas ner.",
                    .no: "Butikkens kobling til sentralen: salget sendes opp, sentralens endringer for butikkene hentes ned.",
                    .da: "Butikkens forbindelse til centralen: salget sendes op, centralens ændringer for butikkerne hentes ned.",
                    .de: "Die Verbindung dieser Filiale zur Zentrale: Verkäufe gehen hinauf, Änderungen der Zentrale kommen herunter.",
                    .nl: "De koppeling van deze winkel met de centrale: verkopen gaan omhoog, wijzigingen van de centrale komen omlaag.",
                ], []
            )
        case .connectorToolTip(.erpFiles):
            return (
                [
                    .en:
                        "Imports products, stock counts and goods received from the folder's in/, and writes every movement once to out/ as JSON Lines.",
                    .sv:
                        "Läser in artiklar, inventeringar och inleveranser från mappens in/ och skriver varje rörelse en gång till out/ som JSON Lines.",
                    .no: "Leser inn varer, varetellinger og varemottak fra mappens in/ og skriver hver bevegelse én gang til out/ som JSON Lines.",
                    .da: "Indlæser varer, optællinger og varemodtagelser fra mappens in/ og skriver hver bevægelse én gang til out/ som JSON Lines.",
                    .de:
                        "Importiert Artikel, Inventuren und Wareneingänge aus in/ des Ordners und schreibt jede Bewegung einmal als JSON Lines nach out/.",
                    .nl:
                        "Leest artikelen, tellingen en ontvangsten in uit in/ van de map en schrijft elke mutatie één keer naar out/ als JSON Lines.",
                ], []
            )
        case .connectionDescription(.storeLink, let target):
            return (
                [
                    .en: "Store server at %1", .sv: "Butiksserver på %1", .no: "Butikkserver på %1", .da: "Butiksserver på %1",
                    .de: "Filialserver unter %1", .nl: "Winkelserver op %1",
                ], [target]
            )
        case .connectionDescription(.centralLink, let target):
            return (
                [
                    .en: "Central server at %1", .sv: "Centralserver på %1", .no: "Sentralserver på %1", .da: "Centralserver på %1",
                    .de: "Zentralserver unter %1", .nl: "Centrale server op %1",
                ], [target]
            )
        case .connectionDescription(.erpFiles, let target):
            return (
                [
                    .en: "ERP files in %1", .sv: "ERP-filer i %1", .no: "ERP-filer i %1", .da: "ERP-filer i %1",
                    .de: "ERP-Dateien in %1", .nl: "ERP-bestanden in %1",
                ], [target]
            )
        case .connectorName(.http):
            return (
                [.en: "HTTP endpoint", .sv: "HTTP-adress", .no: "HTTP-adresse", .da: "HTTP-adresse", .de: "HTTP-Endpunkt", .nl: "HTTP-adres"], []
            )
        case .connectorToolTip(.http):
            return (
                [
                    .en: "Delivers every movement once to an ERP's HTTP endpoint, in batches with an Idempotency-Key.",
                    .sv: "Levererar varje rörelse en gång till ett affärssystems HTTP-adress, i omgångar med en Idempotency-Key.",
                    .no: "Leverer hver bevegelse én gang til et ERP-systems HTTP-adresse, i puljer med en Idempotency-Key.",
                    .da: "Leverer hver bevægelse én gang til et ERP-systems HTTP-adresse, i portioner med en Idempotency-Key.",
                    .de: "Liefert jede Bewegung einmal an den HTTP-Endpunkt eines ERP, in Stapeln mit einem Idempotency-Key.",
                    .nl: "Levert elke mutatie één keer aan het HTTP-adres van een ERP, in batches met een Idempotency-Key.",
                ], []
            )
        case .connectionDescription(.http, let target):
            return (
                [
                    .en: "Movements delivered to %1", .sv: "Rörelser levererade till %1", .no: "Bevegelser levert til %1",
                    .da: "Bevægelser leveret til %1", .de: "Bewegungen geliefert an %1", .nl: "Mutaties geleverd aan %1",
                ], [target]
            )
        case .visitOrder(let names):
            return (
                [
                    .en: "Visited in priority order: %1.", .sv: "Besökta i prioritetsordning: %1.", .no: "Besøkt i prioritert rekkefølge: %1.",
                    .da: "Besøgt i prioriteret rækkefølge: %1.", .de: "In Prioritätsreihenfolge besucht: %1.",
                    .nl: "Bezocht in volgorde van prioriteit: %1.",
                ], [names]
            )
        case .connectionDeleted(let id):
            return (
                [
                    .en: "Connection %1 is deleted and is no longer synced.", .sv: "Anslutning %1 är borttagen och synkas inte längre.",
                    .no: "Tilkobling %1 er slettet og synkroniseres ikke lenger.", .da: "Forbindelse %1 er slettet og synkroniseres ikke længere.",
                    .de: "Verbindung %1 ist gelöscht und wird nicht mehr synchronisiert.",
                    .nl: "Verbinding %1 is verwijderd en wordt niet meer gesynchroniseerd.",
                ], [String(id)]
            )
        case .unknownConnector(let id):
            return (
                [
                    .en: "There is no connector %1.", .sv: "Det finns ingen anslutningstyp %1.", .no: "Det finnes ingen koblingstype %1.",
                    .da: "Der findes ingen forbindelsestype %1.", .de: "Es gibt keinen Konnektor %1.", .nl: "Er is geen connector %1.",
                ], [String(id)]
            )
        case .connectorFixed(let id):
            return (
                [
                    .en: "Connector %1 is built in and cannot be changed or deleted.",
                    .sv: "Anslutningstyp %1 är inbyggd och kan inte ändras eller tas bort.",
                    .no: "Koblingstype %1 er innebygd og kan ikke endres eller slettes.",
                    .da: "Forbindelsestype %1 er indbygget og kan ikke ændres eller slettes.",
                    .de: "Konnektor %1 ist eingebaut und kann nicht geändert oder gelöscht werden.",
                    .nl: "Connector %1 is ingebouwd en kan niet worden gewijzigd of verwijderd.",
                ], [String(id)]
            )
        case .connectorInUse(let id):
            return (
                [
                    .en: "Connector %1 has connections; delete them first.", .sv: "Anslutningstyp %1 har anslutningar; ta bort dem först.",
                    .no: "Koblingstype %1 har tilkoblinger; slett dem først.", .da: "Forbindelsestype %1 har forbindelser; slet dem først.",
                    .de: "Konnektor %1 hat Verbindungen; löschen Sie diese zuerst.", .nl: "Connector %1 heeft verbindingen; verwijder die eerst.",
                ], [String(id)]
            )
        case .centralLinkMadeByServer:
            return (
                [
                    .en: "A store's link to central is made by the server itself (serve --central-url).",
                    .sv: "En butiks länk till centralen skapas av servern själv (serve --central-url).",
                    .no: "En butikks kobling til sentralen lages av serveren selv (serve --central-url).",
                    .da: "En butiks forbindelse til centralen oprettes af serveren selv (serve --central-url).",
                    .de: "Die Verbindung einer Filiale zur Zentrale legt der Server selbst an (serve --central-url).",
                    .nl: "De koppeling van een winkel met de centrale maakt de server zelf (serve --central-url).",
                ], []
            )
        case .connectorChanged:
            return (
                [
                    .en: "ErpConnectorId of an existing connection cannot change.",
                    .sv: "ErpConnectorId för en befintlig anslutning kan inte ändras.",
                    .no: "ErpConnectorId for en eksisterende tilkobling kan ikke endres.",
                    .da: "ErpConnectorId for en eksisterende forbindelse kan ikke ændres.",
                    .de: "ErpConnectorId einer bestehenden Verbindung kann nicht geändert werden.",
                    .nl: "ErpConnectorId van een bestaande verbinding kan niet veranderen.",
                ], []
            )
        case .fieldName(let key):
            return (Self.fieldNames[key] ?? [.en: key], [])
        case .fieldDescription(let key):
            return (Self.fieldDescriptions[key] ?? [.en: ""], [])
        case .settingProblem(let problem):
            return Self.problemText(problem, culture)
        case .resyncFilesAll:
            return (
                [
                    .en: "Every movement will be written again to out/ in new files at the next visit.",
                    .sv: "Varje rörelse skrivs på nytt till out/ i nya filer vid nästa besök.",
                    .no: "Hver bevegelse skrives på nytt til out/ i nye filer ved neste besøk.",
                    .da: "Hver bevægelse skrives igen til out/ i nye filer ved næste besøg.",
                    .de: "Jede Bewegung wird beim nächsten Besuch erneut in neue Dateien in out/ geschrieben.",
                    .nl: "Elke mutatie wordt bij het volgende bezoek opnieuw naar out/ geschreven, in nieuwe bestanden.",
                ], []
            )
        case .resyncFilesSome(let count):
            return (
                [
                    .en: "%1 movement(s) will be written again to out/ in a new file at the next visit.",
                    .sv: "%1 rörelse(r) skrivs på nytt till out/ i en ny fil vid nästa besök.",
                    .no: "%1 bevegelse(r) skrives på nytt til out/ i en ny fil ved neste besøk.",
                    .da: "%1 bevægelse(r) skrives igen til out/ i en ny fil ved næste besøg.",
                    .de: "%1 Bewegung(en) werden beim nächsten Besuch erneut in eine neue Datei in out/ geschrieben.",
                    .nl: "%1 mutatie(s) worden bij het volgende bezoek opnieuw naar out/ geschreven, in een nieuw bestand.",
                ], [culture.number(count)]
            )
        case .resyncHTTPAll:
            return (
                [
                    .en: "Every movement will be delivered again from the start at the next visit, with new idempotency keys.",
                    .sv: "Varje rörelse levereras på nytt från början vid nästa besök, med nya idempotensnycklar.",
                    .no: "Hver bevegelse leveres på nytt fra starten ved neste besøk, med nye idempotensnøkler.",
                    .da: "Hver bevægelse leveres igen fra starten ved næste besøg, med nye idempotensnøgler.",
                    .de: "Jede Bewegung wird beim nächsten Besuch von Anfang an erneut geliefert, mit neuen Idempotenzschlüsseln.",
                    .nl: "Elke mutatie wordt bij het volgende bezoek opnieuw vanaf het begin geleverd, met nieuwe idempotentiesleutels.",
                ], []
            )
        case .resyncHTTPSome(let count):
            return (
                [
                    .en: "%1 movement(s) will be delivered again at the next visit, with a new idempotency key.",
                    .sv: "%1 rörelse(r) levereras på nytt vid nästa besök, med en ny idempotensnyckel.",
                    .no: "%1 bevegelse(r) leveres på nytt ved neste besøk, med en ny idempotensnøkkel.",
                    .da: "%1 bevægelse(r) leveres igen ved næste besøg, med en ny idempotensnøgle.",
                    .de: "%1 Bewegung(en) werden beim nächsten Besuch erneut geliefert, mit einem neuen Idempotenzschlüssel.",
                    .nl: "%1 mutatie(s) worden bij het volgende bezoek opnieuw geleverd, met een nieuwe idempotentiesleutel.",
                ], [culture.number(count)]
            )
        case .resyncStore(let store):
            return (
                [
                    .en: "Store %1 will load from central again and pull its whole state at its next exchange.",
                    .sv: "Butik %1 läser in från centralen på nytt och hämtar hela sitt tillstånd vid nästa utbyte.",
                    .no: "Butikk %1 laster inn fra sentralen på nytt og henter hele sin tilstand ved neste utveksling.",
                    .da: "Butik %1 indlæser fra centralen igen og henter hele sin tilstand ved næste udveksling.",
                    .de: "Filiale %1 lädt beim nächsten Austausch erneut von der Zentrale und holt ihren ganzen Stand.",
                    .nl: "Winkel %1 laadt bij de volgende uitwisseling opnieuw van de centrale en haalt zijn hele stand op.",
                ], [store]
            )
        case .resyncFromCentral:
            return (
                [
                    .en: "This store will load from central again and pull its whole state at the next exchange.",
                    .sv: "Den här butiken läser in från centralen på nytt och hämtar hela sitt tillstånd vid nästa utbyte.",
                    .no: "Denne butikken laster inn fra sentralen på nytt og henter hele sin tilstand ved neste utveksling.",
                    .da: "Denne butik indlæser fra centralen igen og henter hele sin tilstand ved næste udveksling.",
                    .de: "Diese Filiale lädt beim nächsten Austausch erneut von der Zentrale und holt ihren ganzen Stand.",
                    .nl: "Deze winkel laadt bij de volgende uitwisseling opnieuw van de centrale en haalt zijn hele stand op.",
                ], []
            )
        }
    }
}
