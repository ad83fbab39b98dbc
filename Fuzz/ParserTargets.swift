// libFuzzer targets for the core's parsers, built with the core's sources into one binary by
// `scripts/fuzz` (swiftc -sanitize=fuzzer,address); BACKROOM_FUZZ_TARGET picks the parser. A
// target fails on a crash, a hang, a leak, or an answer that does not read back as itself.
import Foundation

private let target = ProcessInfo.processInfo.environment["BACKROOM_FUZZ_TARGET"] ?? ""

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    switch target {
    case "json": fuzzJSON(bytes)
    case "erp-file": fuzzErpFile(bytes)
    case "duration": fuzzDuration(bytes)
    case "agent-body": fuzzAgentBody(bytes)
    case "sync-cursor": fuzzSyncCursor(bytes)
    default: fatalError("BACKROOM_FUZZ_TARGET must be json, erp-file, duration, agent-body or sync-cursor")
    }
    return 0
}

/// What the JSON reader accepts, the writer writes back to the same value.
private func fuzzJSON(_ bytes: [UInt8]) {
    guard let value = try? JSONReader.read(bytes) else { return }
    let written = JSONWriter.bytes(of: value)
    guard let again = try? JSONReader.read(written), again == value else {
        fatalError("JSON read back otherwise: \(String(decoding: written, as: UTF8.self))")
    }
}

/// An ERP file of either kind, named by its first byte.
private func fuzzErpFile(_ bytes: [UInt8]) {
    let name = bytes.first.map { $0 % 2 == 0 } == true ? "in.csv" : "in.json"
    _ = ErpFileParser.parse(fileName: name, contents: Array(bytes.dropFirst()))
}

/// An interval the agent accepts is written back as text that reads as the same interval.
private func fuzzDuration(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self), let interval = SyncInterval(text: text) else { return }
    guard SyncInterval(text: interval.description) == interval else { fatalError("\(text) read back otherwise: \(interval)") }
}

/// An agent body as JSON, XML or a form, by its first byte.
private func fuzzAgentBody(_ bytes: [UInt8]) {
    let types = ["application/json", "application/xml", "application/x-www-form-urlencoded", "text/xml; charset=utf-8"]
    let type = bytes.first.map { types[Int($0) % types.count] }
    guard let parameters = try? AgentRequestBody.parse(Array(bytes.dropFirst()), contentType: type) else { return }
    guard case .object = parameters else { fatalError("parameters that are not an object") }
}

/// A cursor that reads is encoded back to text that reads as the same cursor.
private func fuzzSyncCursor(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self), let cursor = SyncCursor(encoded: text) else { return }
    guard SyncCursor(encoded: cursor.encoded) == cursor else { fatalError("\(text) read back otherwise: \(cursor.encoded)") }
}
