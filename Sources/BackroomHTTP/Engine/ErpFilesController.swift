import BackroomCore
import BackroomSync
import Hummingbird

/// `GET /api/v1/erp/{connectionId}/files` (right `erpsync` or `admin`): the files of an ERP files
/// connection's folder, refused ones with their reason, and the export's position.
struct ErpFilesController {
    let engine: SyncEngine

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("erp/:connection/files", use: files)
    }

    @Sendable func files(_ request: Request, context: AppRequestContext) async throws -> Envelope<ErpFolderWire> {
        _ = try context.requireAny(of: EngineController.rights)
        let text = context.parameters.get("connection") ?? ""
        let unknown = EnvelopeError.coded(.notFound, code: "404", "There is no ERP files connection \(text)")
        guard let id = Int64(text) else { throw unknown }
        let found: ErpFolderListing?
        do {
            found = try await engine.erpFolder(connection: id)
        } catch let refused as ConfigurationError {
            throw EnvelopeError.coded(.conflict, code: "409", "The folder of ERP files connection \(text) may not be used: \(refused.description)")
        }
        guard let listing = found else { throw unknown }
        return .success(ErpFolderWire(listing: listing))
    }
}

struct ErpFolderWire: JSONRepresentable, Sendable {
    let listing: ErpFolderListing

    var json: JSONValue {
        func files(_ files: [ErpFolderListing.File]) -> JSONValue {
            .array(
                files.map { file in
                    var members: [String: JSONValue] = [
                        "name": .string(file.name), "size": .integer(file.size),
                        "modified": .string(LocalTimestamp.iso8601(millis: file.modified, offsetSeconds: 0)),
                    ]
                    if let error = file.error { members["error"] = .string(error) }
                    return .object(members)
                }
            )
        }
        return .object([
            "folder": .string(listing.folder),
            "in": files(listing.waiting), "done": files(listing.done), "failed": files(listing.failed), "out": files(listing.exported),
            "export": .object(["files": .integer(Int64(listing.exportFiles)), "position": .string(listing.exportCursor)]),
        ])
    }
}
