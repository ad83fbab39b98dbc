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

    let format: Format
    let language: ErpLanguage
    let culture: ErpCulture
    let selection: PropertySelection?

    /// The language alone, which error answers need even when the rest of a request is wrong.
    static func language(of request: Request) -> ErpLanguage {
        ErpLanguage.chosen(soLanguage: request.headers[soLanguage], acceptLanguage: request.headers[.acceptLanguage]) ?? .fallback
    }

    init(_ request: Request) throws {
        let chosen = ErpLanguage.chosen(soLanguage: request.headers[Self.soLanguage], acceptLanguage: request.headers[.acceptLanguage])
        language = chosen ?? .fallback
        var timeZone = TimeZone(identifier: "UTC")!
        if let zoneName = request.headers[Self.soTimeZone]?.trimmingOptionalWhitespace, !zoneName.isEmpty {
            guard let zone = TimeZone(identifier: String(zoneName)) else {
                throw ErpSyncError(.badRequest, type: "ArgumentException", .unknownTimeZone(String(zoneName)))
            }
            timeZone = zone
        }
        culture = ErpCulture(language: chosen, culture: request.headers[Self.soCulture], timeZone: timeZone)
        guard let format = Self.format(accepting: request.headers[values: .accept].joined(separator: ",")) else {
            throw ErpSyncError(.notAcceptable, type: "NotAcceptable", .notAcceptable(request.headers[values: .accept].joined(separator: ", ")))
        }
        self.format = format
        selection = PropertySelection(request.uri.queryParameters.get("$select"))
    }

    /// The best-weighted media range the agent can write; nil when none is.
    static func format(accepting header: String) -> Format? {
        let ranges = header.split(separator: ",").map { $0.trimmingOptionalWhitespace }.filter { !$0.isEmpty }
        if ranges.isEmpty { return .json(mediaType: "application/json") }
        var best: (format: Format, quality: Double)?
        for range in ranges {
            let parts = range.split(separator: ";").map { $0.trimmingOptionalWhitespace.lowercased() }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0, quality > (best?.quality ?? 0), let format = format(of: parts[0]) else { continue }
            best = (format, quality)
        }
        return best?.format
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
        let (bytes, mediaType): ([UInt8], String) = switch format {
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
        ErpSyncAnswers(principal: principal, language: language, culture: culture)
    }
}
