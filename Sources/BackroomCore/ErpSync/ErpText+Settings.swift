/// The texts of connectors' settings: their names, what they are for, and what is wrong with them.
extension ErpText {
    static let fieldNames: [String: Template] = [
        "serverKey": [.en: "Server key", .sv: "Servernyckel", .no: "Servernøkkel", .da: "Servernøgle", .de: "Serverschlüssel", .nl: "Serversleutel"],
        "url": [.en: "URL", .sv: "URL", .no: "URL", .da: "URL", .de: "URL", .nl: "URL"],
        "folder": [.en: "Folder", .sv: "Mapp", .no: "Mappe", .da: "Mappe", .de: "Ordner", .nl: "Map"],
        "token": [.en: "Token", .sv: "Token", .no: "Token", .da: "Token", .de: "Token", .nl: "Token"],
        "batchSize": [
            .en: "Batch size", .sv: "Omgångsstorlek", .no: "Puljestørrelse", .da: "Portionsstørrelse", .de: "Stapelgröße", .nl: "Batchgrootte",
        ],
        "timeoutSeconds": [
            .en: "Time-out (s)", .sv: "Tidsgräns (s)", .no: "Tidsavbrudd (s)", .da: "Tidsgrænse (s)", .de: "Zeitlimit (s)", .nl: "Time-out (s)",
        ],
    ]

    static let fieldDescriptions: [String: Template] = [
        "serverKey": [
            .en: "The store server's key in the registry.", .sv: "Butiksserverns nyckel i registret.", .no: "Butikkserverens nøkkel i registeret.",
            .da: "Butiksserverens nøgle i registret.", .de: "Der Schlüssel des Filialservers im Verzeichnis.",
            .nl: "De sleutel van de winkelserver in het register.",
        ],
        "url": [
            .en: "Where the server answers (http or https).", .sv: "Var servern svarar (http eller https).",
            .no: "Hvor serveren svarer (http eller https).",
            .da: "Hvor serveren svarer (http eller https).", .de: "Wo der Server antwortet (http oder https).",
            .nl: "Waar de server antwoordt (http of https).",
        ],
        "folder": [
            .en: "An existing, writable folder shared with the ERP, as an absolute path; in/, done/, failed/ and out/ are made in it.",
            .sv: "En befintlig, skrivbar mapp som delas med affärssystemet, som absolut sökväg; in/, done/, failed/ och out/ skapas i den.",
            .no: "En eksisterende, skrivbar mappe delt med ERP-systemet, som absolutt sti; in/, done/, failed/ og out/ lages i den.",
            .da: "En eksisterende, skrivbar mappe delt med ERP-systemet, som absolut sti; in/, done/, failed/ og out/ oprettes i den.",
            .de: "Ein vorhandener, beschreibbarer Ordner, den das ERP mitbenutzt, als absoluter Pfad; darin entstehen in/, done/, failed/ und out/.",
            .nl: "Een bestaande, beschrijfbare map die met het ERP wordt gedeeld, als absoluut pad; in/, done/, failed/ en out/ worden erin gemaakt.",
        ],
        "token": [
            .en: "Sent as Authorization: Bearer; stored sealed and never shown again.",
            .sv: "Skickas som Authorization: Bearer; lagras förseglad och visas aldrig igen.",
            .no: "Sendes som Authorization: Bearer; lagres forseglet og vises aldri igjen.",
            .da: "Sendes som Authorization: Bearer; gemmes forseglet og vises aldrig igen.",
            .de: "Wird als Authorization: Bearer gesendet; versiegelt gespeichert und nie wieder angezeigt.",
            .nl: "Verzonden als Authorization: Bearer; verzegeld opgeslagen en nooit meer getoond.",
        ],
        "batchSize": [
            .en: "Movements per request, 1 to 10,000.", .sv: "Rörelser per anrop, 1 till 10 000.", .no: "Bevegelser per forespørsel, 1 til 10 000.",
            .da: "Bevægelser pr. forespørgsel, 1 til 10.000.", .de: "Bewegungen je Anfrage, 1 bis 10.000.",
            .nl: "Mutaties per verzoek, 1 tot 10.000.",
        ],
        "timeoutSeconds": [
            .en: "How long to wait for the ERP's answer, 1 to 600 seconds.", .sv: "Hur länge affärssystemets svar väntas, 1 till 600 sekunder.",
            .no: "Hvor lenge ERP-systemets svar ventes, 1 til 600 sekunder.", .da: "Hvor længe ERP-systemets svar ventes, 1 til 600 sekunder.",
            .de: "Wie lange auf die Antwort des ERP gewartet wird, 1 bis 600 Sekunden.",
            .nl: "Hoe lang op het antwoord van het ERP wordt gewacht, 1 tot 600 seconden.",
        ],
    ]

    static func problemText(_ problem: ConnectorSettingProblem, _ culture: ErpCulture) -> (Template, [String]) {
        switch problem {
        case .missing(let field):
            (
                [
                    .en: "%1 is required.", .sv: "%1 krävs.", .no: "%1 er påkrevd.", .da: "%1 er påkrævet.", .de: "%1 ist erforderlich.",
                    .nl: "%1 is verplicht.",
                ], [field]
            )
        case .unknown(let field):
            (
                [
                    .en: "%1 is not a setting of this connector.", .sv: "%1 är ingen inställning för denna anslutningstyp.",
                    .no: "%1 er ingen innstilling for denne koblingstypen.", .da: "%1 er ingen indstilling for denne forbindelsestype.",
                    .de: "%1 ist keine Einstellung dieses Konnektors.", .nl: "%1 is geen instelling van deze connector.",
                ], [field]
            )
        case .tooLong(let field, let maxLength):
            (
                [
                    .en: "%1 is longer than %2 characters.", .sv: "%1 är längre än %2 tecken.", .no: "%1 er lengre enn %2 tegn.",
                    .da: "%1 er længere end %2 tegn.", .de: "%1 ist länger als %2 Zeichen.", .nl: "%1 is langer dan %2 tekens.",
                ], [field, culture.number(maxLength)]
            )
        case .notInteger(let field, let range):
            (
                [
                    .en: "%1 must be a whole number from %2 to %3.", .sv: "%1 måste vara ett heltal från %2 till %3.",
                    .no: "%1 må være et heltall fra %2 til %3.",
                    .da: "%1 skal være et heltal fra %2 til %3.", .de: "%1 muss eine ganze Zahl von %2 bis %3 sein.",
                    .nl: "%1 moet een geheel getal van %2 tot %3 zijn.",
                ], [field, culture.number(Int(range.lowerBound)), culture.number(Int(range.upperBound))]
            )
        case .notHTTPURL(let field):
            (
                [
                    .en: "%1 must be an http or https URL.", .sv: "%1 måste vara en http- eller https-URL.",
                    .no: "%1 må være en http- eller https-URL.",
                    .da: "%1 skal være en http- eller https-URL.", .de: "%1 muss eine http- oder https-URL sein.",
                    .nl: "%1 moet een http- of https-URL zijn.",
                ], [field]
            )
        case .refused(let field, let reason):
            ([.en: "%1: %2.", .sv: "%1: %2.", .no: "%1: %2.", .da: "%1: %2.", .de: "%1: %2.", .nl: "%1: %2."], [field, reason])
        }
    }
}
