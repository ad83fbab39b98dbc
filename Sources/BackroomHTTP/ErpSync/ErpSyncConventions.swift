import BackroomCore
import Foundation
import HTTPTypes
import Hummingbird

/// What a request to the agent asks of the answer's form: JSON or XML by `Accept`, the
/// language by `SO-Language` or `Accept-Language`, the culture by `SO-Culture`, the time zone
/// by `SO-TimeZone`, and the properties to fill by `$select`.
struct ErpSyncConventions: Sendable {
    enum Format: Sendable {
        case json(mediaType: String)
        case xml(mediaType: String)
    }

    static let soLanguage = HTTPField.Name("SO-Language")!
    static let soCulture = HTTPField.Name("SO-Culture")!
    static let soTimeZone = HTTPField.Name("SO-TimeZone")!

    /// Each country's zones, from the system's time zone database (read once; none if it lacks
    /// the table, and then country codes are simply not resolved).
    static let countries: [String: [String]] = {
        guard let text = try? String(contentsOfFile: "/usr/share/zoneinfo/zone.tab", encoding: .utf8) else { return [:] }
        return ErpTimeZone.countries(zoneTab: text)
    }()

    let format: Format
    let language: ErpLanguage
    let culture: ErpCulture
    let zone: ErpTimeZone
    let selection: PropertySelection?

    /// The language alone, which error answers need even when the rest of a request is wrong.
    static func language(of request: Request) -> ErpLanguage {
        chosenLanguage(of: request) ?? .fallback
    }

    /// nil when the request names none of the agent's languages.
    private static func chosenLanguage(of request: Request) -> ErpLanguage? {
        ErpLanguage.chosen(soLanguage: request.headers[soLanguage], acceptLanguage: request.headers[.acceptLanguage])
    }

    /// `now`: when the zone's offsets are compared (a country's zones may differ only in summer).
    init(_ request: Request, now: Date) throws {
        let chosen = Self.chosenLanguage(of: request)
        language = chosen ?? .fallback
        zone = ErpTimeZone(header: request.headers[Self.soTimeZone], countries: Self.countries, at: now)
        culture = ErpCulture(language: chosen, culture: request.headers[Self.soCulture], timeZone: zone.timeZone)
        let accept = request.headers[values: .accept].joined(separator: ", ")
        guard let format = Self.format(accepting: accept) else {
            throw ErpSyncError(.notAcceptable, .notAcceptable(accept))
        }
        self.format = format
        selection = PropertySelection(request.uri.queryParameters.get("$select"))
    }

    /// The best-weighted media range the agent can write; nil when none is.
    static func format(accepting header: String) -> Format? {
        if header.split(separator: ",").allSatisfy({ $0.trimmingOptionalWhitespace.isEmpty }) { return .json(mediaType: "application/json") }
        return WeightedChoices.best(in: header) { format(of: $0.lowercased()) }
    }

    private static func format(of mediaType: String) -> Format? {
        switch mediaType {
        case "application/json", "text/json", "application/json-patch+json", "application/merge-patch+json": .json(mediaType: mediaType)
        case "*/*", "application/*": .json(mediaType: "application/json")
        case "application/xml", "text/xml": .xml(mediaType: mediaType)
        case "text/*": .json(mediaType: "text/json")
        default: nil
        }
    }

    /// The answer in the chosen form, `$select` applied, with its `Content-Language`.
    func response(_ value: ErpValue) throws -> Response {
        let selected = selection?.apply(to: value) ?? value
        let (bytes, mediaType): ([UInt8], String) =
            switch format {
            case .json(let mediaType): (selected.jsonBytes, mediaType)
            case .xml(let mediaType): (try ErpSyncXML.bytes(of: selected), mediaType)
            }
        return Response(
            status: .ok,
            headers: [.contentType: "\(mediaType); charset=utf-8", .contentLanguage: language.rawValue],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    func answers(for principal: Principal) -> ErpSyncAnswers {
        ErpSyncAnswers(principal: principal, language: language, culture: culture, zone: zone)
    }
}
