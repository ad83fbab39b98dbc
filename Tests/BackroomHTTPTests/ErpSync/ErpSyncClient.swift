import BackroomCore
import Foundation
import FoundationXML
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// `POST /api/v1/Agents/ErpSync/{method}`, as tje0 with a JSON body unless told otherwise.
    func agent(_ method: String, _ body: String? = nil, query: String = "", headers: HTTPFields = LiveServer.tje0JSON()) async throws -> TestResponse
    {
        try await call(.post, "/api/v1/Agents/ErpSync/\(method)\(query)", body: body, headers: headers)
    }

    /// A method's answer that is a JSON list of objects.
    func agentList(_ method: String, _ body: String? = nil) async throws -> [[String: Any]] {
        let response = try await agent(method, body)
        #expect(response.status == .ok)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as XML, parsed back as any client of the agent would.
    var xml: XMLElement {
        get throws {
            let document = try XMLDocument(data: Data(buffer: body))
            return try #require(document.rootElement())
        }
    }

    /// The agent's error shape, checked whole.
    func expectAgentError(
        _ status: HTTPResponse.Status,
        type: String,
        language: String = "en",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        #expect(headers[.contentLanguage] == language, sourceLocation: sourceLocation)
        let json = try self.json
        #expect(json["Error"] as? Bool == true, sourceLocation: sourceLocation)
        #expect(json["ErrorType"] as? String == type, sourceLocation: sourceLocation)
        #expect(json["ErrorSource"] as? String == "Backroom.ErpSync", sourceLocation: sourceLocation)
        return try #require(json["ErrorMessage"] as? String, sourceLocation: sourceLocation)
    }
}

extension XMLElement {
    var childNames: [String] { (children ?? []).compactMap(\.name) }

    func child(_ name: String) -> XMLElement? { elements(forName: name).first }
}

/// A folder of its own for an ERP connection, inside the live servers' ERP root, removed afterwards.
func withErpFolder<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let folder = LiveServer.erpRootFolder.appendingPathComponent("backroom-erp-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}
