import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

/// Why a file could not be read, as something a user can act on. `message(path:)` is the one place the wording lives:
/// `<path>: <what went wrong> (<what to do>)`, never Foundation's `NSCocoaErrorDomain error 512`.
public enum FileProblem: Error, Sendable, Hashable {
    /// Nothing at the path.
    case notFound
    /// A symbolic link whose target does not exist.
    case danglingSymlink
    /// A directory where a file is expected.
    case isDirectory
    /// A file where a directory is expected.
    case notADirectory
    /// A FIFO, socket or device: reading one could block forever or never end. `kind` names it.
    case notRegularFile(kind: String)
    /// The process may not read it (or a directory on the way).
    case permissionDenied
    /// Larger than the limit for this kind of file.
    case tooLarge(bytes: Int, limit: Int)
    /// An absolute path where a path inside the workspace is required.
    case absolutePath
    /// The path, read as written, climbs out of the workspace with `..`.
    case climbsOutOfWorkspace
    /// The path goes through a symbolic link that leads outside the workspace.
    case symlinkLeavesWorkspace
    /// Any other operating-system error, by its `strerror` text.
    case system(String)

    /// Whether the path was refused for leading outside the workspace (rather than for what is there).
    public var leavesWorkspace: Bool {
        switch self {
        case .absolutePath, .climbsOutOfWorkspace, .symlinkLeavesWorkspace: true
        default: false
        }
    }

    /// `<path>: <what went wrong> (<what to do>)`.
    public func message(path: String) -> String {
        "\(path): \(description)"
    }

    /// What went wrong and what to do, without the path.
    public var description: String {
        switch self {
        case .notFound: "no such file or directory (check the path, and that its directory exists)"
        case .danglingSymlink: "a symbolic link to a file that does not exist (fix or remove the link)"
        case .isDirectory: "is a directory, not a file (name a file)"
        case .notADirectory: "is not a directory (a directory is expected here)"
        case .notRegularFile(let kind): "is a \(kind), not a regular file (stoicprov reads only regular files)"
        case .permissionDenied: "permission denied (make the file readable by this user, e.g. chmod u+r)"
        case .tooLarge(let bytes, let limit): "is \(bytes) bytes, over the limit of \(limit) bytes (split or shorten it)"
        case .absolutePath: "is an absolute path (write a path relative to the file that names it, inside the workspace)"
        case .climbsOutOfWorkspace: "leads outside the workspace with '..' (keep the file inside the workspace directory)"
        case .symlinkLeavesWorkspace:
            "goes through a symbolic link that leads outside the workspace (copy the file into the workspace instead)"
        case .system(let text): "\(text) (check the file and the disk)"
        }
    }
}

/// Reads files safely: only regular files, never opening a FIFO or device in a way that blocks, with a size limit;
/// and confines paths to a workspace directory, symbolic links included. The one home of these rules.
public enum FileAccess {
    /// The largest saved plan `show` and `apply FILE` read (a plan of tens of thousands of changes is a few MB).
    public static let maxPlanFileBytes = 256 * 1024 * 1024

    /// Reads the regular file at `path`, at most `maxBytes` bytes (a longer file is `.tooLarge`).
    public static func read(_ path: String, maxBytes: Int) -> Result<Data, FileProblem> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(problem(errno: errno, path: path)) }
        if let problem = kindProblem(info.st_mode) { return .failure(problem) }
        if Int(info.st_size) > maxBytes { return .failure(.tooLarge(bytes: Int(info.st_size), limit: maxBytes)) }
        // O_NONBLOCK: should the file be swapped for a FIFO after the check, opening still returns at once.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(problem(errno: errno, path: path)) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { return .failure(problem(errno: errno, path: path)) }
        if let problem = kindProblem(info.st_mode) { return .failure(problem) }
        return readAll(descriptor, maxBytes: maxBytes)
    }

    /// Why `path` may not be read as part of the workspace at `root`, or `nil` when its real path (every symbolic
    /// link resolved) is inside the real path of `root`. A path that does not exist is not refused here.
    public static func confinementProblem(_ path: String, root: String) -> FileProblem? {
        guard let realRoot = realPath(root) else { return nil }
        guard let real = realPath(path) else {
            // Only a dangling link can still lead outside; its target is checked when it is created, so refuse it.
            var info = stat()
            return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK ? .danglingSymlink : nil
        }
        return isInside(real, realRoot) ? nil : .symlinkLeavesWorkspace
    }

    /// Whether `path` (an absolute, resolved path) is `root` or inside it.
    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The real path of `path`, every symbolic link resolved; `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A user-facing description of any error from reading or writing `path`: Foundation's `CocoaError`, a
    /// `POSIXError`, or a `FileProblem`, as `<path>: <what went wrong> (<what to do>)`.
    public static func describe(_ error: any Error, path: String) -> String {
        problem(for: error, path: path).message(path: path)
    }

    /// `describe(_:path:)` for an error whose path is only known to the error itself (Foundation's
    /// `NSFilePathErrorKey`); `fallback` names the file otherwise.
    public static func describe(_ error: any Error, fallback: String) -> String {
        let userInfo = (error as NSError).userInfo
        let path =
            userInfo[NSFilePathErrorKey] as? String ?? (userInfo[NSURLErrorKey] as? URL)?.path ?? fallback
        return describe(error, path: path)
    }

    /// The `FileProblem` behind any file error.
    public static func problem(for error: any Error, path: String) -> FileProblem {
        if let problem = error as? FileProblem { return problem }
        if let posix = error as? POSIXError { return problem(errno: posix.code.rawValue, path: path) }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return problem(errno: Int32(underlying.code), path: path)
        }
        if nsError.domain == NSPOSIXErrorDomain { return problem(errno: Int32(nsError.code), path: path) }
        // Foundation's codes say less than the file system does: ask it directly.
        var info = stat()
        guard stat(path, &info) == 0 else { return problem(errno: errno, path: path) }
        if let problem = kindProblem(info.st_mode) { return problem }
        if access(path, R_OK) != 0 { return .permissionDenied }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileReadNoPermission, .fileWriteNoPermission: return .permissionDenied
        case .fileReadNoSuchFile, .fileNoSuchFile: return .notFound
        case .fileWriteOutOfSpace: return .system("no space left on the device")
        default: return .system("could not be read or written")
        }
    }

    // MARK: - Helpers

    private static func readAll(_ descriptor: Int32, maxBytes: Int) -> Result<Data, FileProblem> {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(problem(errno: errno, path: ""))
            }
            if count == 0 { return .success(data) }
            data.append(contentsOf: buffer[0..<count])
            if data.count > maxBytes { return .failure(.tooLarge(bytes: data.count, limit: maxBytes)) }
        }
    }

    private static func kindProblem(_ mode: mode_t) -> FileProblem? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: .isDirectory
        case S_IFIFO: .notRegularFile(kind: "FIFO (named pipe)")
        case S_IFSOCK: .notRegularFile(kind: "socket")
        case S_IFCHR, S_IFBLK: .notRegularFile(kind: "device")
        default: .notRegularFile(kind: "special file")
        }
    }

    private static func problem(errno code: Int32, path: String) -> FileProblem {
        switch code {
        case ENOENT:
            var info = stat()
            return !path.isEmpty && lstat(path, &info) == 0 ? .danglingSymlink : .notFound
        case EACCES, EPERM: return .permissionDenied
        case EISDIR: return .isDirectory
        case ENOTDIR: return .notADirectory
        case ELOOP: return .system("too many levels of symbolic links")
        case ENOSPC: return .system("no space left on the device")
        default: return .system(String(cString: strerror(code)))
        }
    }
}
