import BackroomCore
import BackroomTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BackroomHTTP

/// The OpenAPI document against the router, both ways, on both roles; its references; its
/// contract schemas against `Tests/Contracts`; and how it is served.
struct OpenAPIDocumentTests {
    static func routes(of role: ServerRole) async throws -> [RouteDescription] {
        try await TestDatabase.sqlite.withStorage { storage, _ in
            let settings = ServerSettings(
                role: role,
                serverKey: role == .central ? .central : try ServerKey("NORTE"),
                host: "127.0.0.1",
                port: 0,
                clock: .system
            )
            let link = role == .store ? BackroomServer.CentralLink(urls: ["http://127.0.0.1:9"], token: "t") : nil
            return BackroomServer(storage: storage, settings: settings, centralLink: link, askStores: false, logger: TestLogger.quiet).routes
        }
    }

    /// Whether a route's path answers a documented path: segment by segment, a `{capture}` on
    /// either side takes any segment, and a route ending `**` (a store's forwarding) any rest.
    static func answers(_ route: String, _ documented: String) -> Bool {
        let routeSegments = route.split(separator: "/")
        let documentedSegments = documented.split(separator: "/")
        if routeSegments.last == "**" {
            return documentedSegments.count >= routeSegments.count - 1 && zip(routeSegments.dropLast(), documentedSegments).allSatisfy(same)
        }
        return routeSegments.count == documentedSegments.count && zip(routeSegments, documentedSegments).allSatisfy(same)
    }

    private static func same(_ pair: (Substring, Substring)) -> Bool {
        pair.0 == pair.1 || pair.0.hasPrefix("{") || pair.1.hasPrefix("{")
    }

    @Test(arguments: [ServerRole.central, .store])
    func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute(_ role: ServerRole) async throws {
        let routes = try await Self.routes(of: role)
        let document = OpenAPIDocument.json(role: role)
        let documented = try #require(document["paths"]?.objectMembers).flatMap { path, item in
            (item.objectMembers ?? [:]).keys.map { (method: $0.uppercased(), path: path) }
        }
        #expect(routes.count > 40 && documented.count > 100)
        for route in routes {
            #expect(
                documented.contains { $0.method == route.method && Self.answers(route.path, $0.path) },
                "\(role): \(route) is not in the document"
            )
        }
        for operation in documented {
            #expect(
                routes.contains { $0.method == operation.method && Self.answers($0.path, operation.path) },
                "\(role): \(operation.method) \(operation.path) is documented but not routed"
            )
        }
    }

    @Test func theTestNoticesARouteTheDocumentLacks() {
        #expect(!Self.answers("/api/v1/users/{name}/avatar", "/api/v1/users/{name}"))
        #expect(Self.answers("/servlets/services/**", "/servlets/services/reservation/{id}/commit"))
        #expect(Self.answers("/api/v1/Agents/ErpSync/{method}", "/api/v1/Agents/ErpSync/GetEngineStatus"))
    }

    @Test(arguments: [ServerRole.central, .store])
    func everyReferenceResolvesAndOperationIdsAreUnique(_ role: ServerRole) throws {
        let document = OpenAPIDocument.json(role: role)
        #expect(document["openapi"] == .string("3.1.0"))
        let schemas = try #require(document["components"]?["schemas"]?.objectMembers)
        let text = JSONWriter.string(of: document)
        let references = Set(text.matches(of: /"#\/components\/schemas\/([A-Za-z]+)"/).map { String($0.output.1) })
        #expect(!references.isEmpty)
        for reference in references { #expect(schemas[reference] != nil, "\(reference) is referred to but not defined") }
        #expect(!text.contains("#/$defs/"))
        let operations = try #require(document["paths"]?.objectMembers).values.flatMap { $0.objectMembers?.values.map { $0 } ?? [] }
        let ids = operations.compactMap { operation -> String? in if case .string(let id)? = operation["operationId"] { id } else { nil } }
        #expect(ids.count == operations.count && ids.count == Set(ids).count, "every operation has an id of its own")
    }

    @Test(arguments: [ServerRole.central, .store])
    func linksLeadFromACreatedReservationToOperationsOfTheDocument(_ role: ServerRole) throws {
        let document = OpenAPIDocument.json(role: role)
        let paths = try #require(document["paths"]?.objectMembers)
        var pathOfOperation: [String: String] = [:]
        for (path, item) in paths {
            for operation in item.objectMembers?.values.map({ $0 }) ?? [] {
                if case .string(let id)? = operation["operationId"] { pathOfOperation[id] = path }
            }
        }
        let created = try #require(paths["/servlets/services/reservation/{id}"]?["post"]?["responses"]?["201"]?["links"]?.objectMembers)
        #expect(Set(created.keys) == ["ReadReservation", "ChangeReservation", "CommitReservation", "CancelReservation"])
        for (name, link) in created {
            guard case .string(let target)? = link["operationId"] else {
                Issue.record("\(name) names no operation")
                continue
            }
            let path = try #require(pathOfOperation[target], "\(name) leads to \(target), which the document lacks")
            #expect(path.hasPrefix("/servlets/services/reservation/{id}"))
            #expect(link["parameters"] == .object(["id": .string("$response.body#/data/resvId")]))
        }
    }

    @Test func theContractSchemasAreTheContractsOwn() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Contracts")
        for (file, embedded) in [
            ("reservations.schema.json", OpenAPIContractSchemas.reservations), ("erpsync.schema.json", OpenAPIContractSchemas.erpSync),
        ] {
            let contract = try JSONReader.read([UInt8](try Data(contentsOf: folder.appendingPathComponent(file))))["$defs"]
            #expect(try JSONReader.read(Array(embedded.utf8)) == contract, "\(file) and the document's copy differ")
        }
    }

    @Test func theDocumentIsServedToAnyoneAndReadableAsAPage() async throws {
        try await LiveServer.run(on: .sqlite) { client, _ async throws in
            let served = try await client.call(.get, "/openapi.json")
            #expect(served.status == .ok && served.headers[.contentType] == "application/json")
            #expect(try served.json["openapi"] as? String == "3.1.0")
            let session = try await ConsoleTests.signIn(client, "tje0", "Tje0")
            let page = try await client.call(.get, "/api", headers: [.cookie: session.cookie])
            #expect(page.status == .ok && page.text.contains(#"<a href="/openapi.json">"#))
            #expect(page.text.contains("<code>/servlets/services/atp/{shop}/{ids}</code>") && page.text.contains("GetEngineStatus"))
        }
    }
}
