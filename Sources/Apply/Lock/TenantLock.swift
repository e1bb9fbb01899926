import Foundation
import Live
import Planner
import Spec

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a lock file says about the apply holding it.
public struct LockInfo: Codable, Sendable, Hashable {
    /// Random; `--force-unlock ID` must name it, so a lock is only ever removed on purpose.
    public var id: String
    public var tenant: String
    public var owner: String
    public var host: String
    public var pid: Int32
    /// ISO-8601 instant the lock was taken.
    public var time: String
}

/// One apply per tenant at a time: `<workspace>/.stoicprov/locks/<tenant>.lock`, created atomically
/// (`O_CREAT | O_EXCL`) with a JSON `LockInfo`. A held lock is an error naming its owner, host and time; a lock
/// left by a process that is gone from this host is reported as such but never taken over silently.
public final class TenantLock: Sendable {
    public let info: LockInfo
    public let path: URL

    private init(info: LockInfo, path: URL) {
        self.info = info
        self.path = path
    }

    static func directory(workspace: URL) -> URL {
        workspace.appendingPathComponent(".stoicprov/locks", isDirectory: true)
    }

    static func path(workspace: URL, tenant: String) -> URL {
        directory(workspace: workspace).appendingPathComponent(fileName(tenant) + ".lock")
    }

    /// A tenant id as a file name (ids are validated to be safe already; this guards against a path separator).
    static func fileName(_ tenant: String) -> String {
        tenant.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\0", with: "_")
    }

    /// Takes the tenant's lock or throws `ApplyError.lockHeld`.
    public static func acquire(
        workspace: URL, tenant: String, owner: String, now: Date = Date()
    ) throws(ApplyError) -> TenantLock {
        let path = path(workspace: workspace, tenant: tenant)
        do {
            try FileManager.default.createDirectory(at: directory(workspace: workspace), withIntermediateDirectories: true)
        } catch {
            let path = directory(workspace: workspace).path
            throw .stateFile(path: path, reason: FileAccess.problem(for: error, path: path).description)
        }
        let info = LockInfo(
            id: randomID(), tenant: tenant, owner: owner, host: ProcessInfo.processInfo.hostName,
            pid: ProcessInfo.processInfo.processIdentifier, time: Instant(now).iso)
        let descriptor = open(path.path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
        if descriptor < 0 {
            let code = errno
            guard code == EEXIST else { throw .stateFile(path: path.path, reason: String(cString: strerror(code))) }
            throw heldError(tenant: tenant, path: path)
        }
        defer { close(descriptor) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = SecretScrubber.scrub((try? encoder.encode(info)) ?? Data())
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "short write"
            unlink(path.path)
            throw .stateFile(path: path.path, reason: "could not write the lock: \(reason)")
        }
        return TenantLock(info: info, path: path)
    }

    /// Removes the lock, if it is still this one.
    public func release() {
        if Self.read(path)?.id == info.id { unlink(path.path) }
    }

    /// The lock currently held on a tenant, if any (an unreadable file reads as id `unreadable`).
    public static func current(workspace: URL, tenant: String) -> LockInfo? {
        let path = path(workspace: workspace, tenant: tenant)
        guard FileManager.default.fileExists(atPath: path.path) else { return nil }
        return read(path)
            ?? LockInfo(id: "unreadable", tenant: tenant, owner: "unknown", host: "unknown", pid: 0, time: "unknown")
    }

    /// `--force-unlock ID`: removes the tenant's lock when `id` names it, and only then.
    public static func forceUnlock(workspace: URL, tenant: String, id: String) throws(ApplyError) {
        guard let held = current(workspace: workspace, tenant: tenant) else {
            throw .lockMismatch(tenant: tenant, given: id, held: nil)
        }
        guard held.id == id else { throw .lockMismatch(tenant: tenant, given: id, held: held.id) }
        unlink(path(workspace: workspace, tenant: tenant).path)
    }

    private static func heldError(tenant: String, path: URL) -> ApplyError {
        let held =
            read(path) ?? LockInfo(id: "unreadable", tenant: tenant, owner: "unknown", host: "unknown", pid: 0, time: "unknown")
        let isStale = held.host == ProcessInfo.processInfo.hostName && held.pid > 0 && kill(held.pid, 0) != 0 && errno == ESRCH
        return .lockHeld(
            tenant: tenant, id: held.id, owner: held.owner, host: held.host, pid: held.pid, time: held.time, isStale: isStale)
    }

    private static func read(_ path: URL) -> LockInfo? {
        guard let data = FileManager.default.contents(atPath: path.path) else { return nil }
        return try? JSONDecoder().decode(LockInfo.self, from: data)
    }

    private static func randomID() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
