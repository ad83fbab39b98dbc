import BackroomCore
import Foundation
import Logging

/// How `serve` writes its log: text for people (swift-log's stream format), or one JSON object
/// per line for log shippers, with the same fields.
enum LogFormat: String, CaseIterable {
    case text, json
}

/// One JSON object per line on standard output: `timestamp`, `level`, `label`, `source`,
/// `message` and the `metadata` (values as text, as the text format prints them).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private static let output = FileHandle.standardOutput
    private static let lock = NSLock()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        let line = JSONWriter.bytes(of: Self.entry(event, label: label, metadata: merged)) + [UInt8(ascii: "\n")]
        // One write per line, whole lines even from several threads.
        Self.lock.withLock { Self.output.write(Data(line)) }
    }

    static func entry(_ event: LogEvent, label: String, metadata: Logger.Metadata) -> JSONValue {
        .object([
            "timestamp": .string(
                ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
            ),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "source": .string(event.source),
            "message": .string(event.message.description),
            "metadata": .object(metadata.mapValues { .string($0.description) }),
        ])
    }
}
