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
        guard let id = Int64(text), let listing = try await engine.erpFolder(connection: id) else {
            throw EnvelopeError.coded(.notFound, code: "404", "There is no ERP files connection \(text)")
        }
        return .success(ErpFolderWire(listing: listing))
    }
}

struct ErpFolderWire: JSONRepresentable, Sendable {
    let listing: ErpFolderListing

    var json: JSONValue {
        func files(_ files: [ErpFolderListing.File]) -> JSONValue {
            .array(files.map { file in
                var members: [String: JSONValue] = [
                    "name": .string(file.name), "size": .integer(file.size),
                    "modified": .string(LocalTimestamp.iso8601(millis: file.modified, offsetSeconds: 0)),
                ]
                if let error = file.error { members["error"] = .string(error) }
                return .object(members)
            })
        }
        return .object([
            "folder": .string(listing.folder),
            "in": files(listing.waiting), "done": files(listing.done), "failed": files(listing.failed), "out": files(listing.exported),
            "export": .object(["files": .integer(Int64(listing.exportFiles)), "position": .string(listing.exportCursor)]),
        ])
    }
}
