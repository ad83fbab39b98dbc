import Foundation

/// The folder exchanged with the ERP: `in/` for what it drops, `done/` and `failed/` for what
/// was read, `out/` for the movements it collects. Every change of a file is a rename within
/// the folder, made durable by syncing the directories it touches.
struct ErpFolder: Sendable {
    let root: URL

    init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true)
    }

    var inbox: URL { root.appendingPathComponent("in", isDirectory: true) }
    var done: URL { root.appendingPathComponent("done", isDirectory: true) }
    var failed: URL { root.appendingPathComponent("failed", isDirectory: true) }
    var outbox: URL { root.appendingPathComponent("out", isDirectory: true) }

    /// Creates the four folders where missing; one that is there must be a folder itself, not a
    /// symbolic link to somewhere else.
    func prepare() throws {
        for folder in [inbox, done, failed, outbox] {
            var status = stat()
            if lstat(folder.path, &status) == 0 {
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    throw POSIXError(.ENOTDIR, userInfo: [NSFilePathErrorKey: folder.path])
                }
                continue
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// Whether the folder is there (or can be made) and every part of it is writable.
    var isUsable: Bool {
        guard (try? prepare()) != nil else { return false }
        return [inbox, done, failed, outbox].allSatisfy { FileManager.default.isWritableFile(atPath: $0.path) }
    }

    /// The files waiting in `in/`, by name; hidden and temporary files are the ERP's own
    /// business until it renames them, and a symbolic link is never followed.
    func waiting() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".tmp") }
            .sorted()
            .map { inbox.appendingPathComponent($0) }
            .filter(Self.isRegularFile)
    }

    /// A regular file itself, not a link to one.
    static func isRegularFile(_ file: URL) -> Bool {
        var status = stat()
        return lstat(file.path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// A file's bytes, refused when it is a symbolic link (which could lead anywhere the
    /// server may read).
    static func contents(of file: URL) throws -> [UInt8] {
        let descriptor = open(file.path, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, userInfo: [NSFilePathErrorKey: file.path]) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        return [UInt8](try handle.readToEnd() ?? Data())
    }

    /// Moves a file into `folder`, under a new name if one of that name is already there.
    @discardableResult
    func move(_ file: URL, to folder: URL) throws -> URL {
        var target = folder.appendingPathComponent(file.lastPathComponent)
        var attempt = 1
        while FileManager.default.fileExists(atPath: target.path) {
            attempt += 1
            target = folder.appendingPathComponent("\(file.deletingPathExtension().lastPathComponent).\(attempt).\(file.pathExtension)")
        }
        try rename(file, to: target)
        return target
    }

    /// Writes `bytes` durably under a hidden temporary name of this writer's own beside `file`,
    /// so that a reader never sees half of it; the caller renames it when the time comes.
    func writeTemporary(_ bytes: [UInt8], for file: URL) throws -> URL {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let handle = try FileHandle(forUpdating: temporary)
        defer { try? handle.close() }
        try handle.synchronize()
        return temporary
    }

    func rename(_ source: URL, to target: URL) throws {
        guard Foundation.rename(source.path, target.path) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, userInfo: [NSFilePathErrorKey: source.path])
        }
        Self.synchronizeDirectory(source.deletingLastPathComponent())
        if source.deletingLastPathComponent() != target.deletingLastPathComponent() {
            Self.synchronizeDirectory(target.deletingLastPathComponent())
        }
    }

    /// A rename is durable once its directory is synced.
    private static func synchronizeDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
