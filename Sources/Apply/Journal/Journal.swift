import Foundation
import Live
import Spec
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One journal line: the outcome of one change attempt. Never holds a credential: the fields are plan data and
/// error messages, and every line is passed through `SecretScrubber` as it is written.
public struct JournalEntry: Codable, Sendable, Hashable {
    /// ISO-8601 instant.
    public var time: String
    /// Who applied: the lock owner (the user name, or what `ApplyOptions.owner` says).
    public var owner: String?
    public var planDigest: String
    public var changeID: String
    public var action: String
    public var subject: String
    /// `done`, `adopted`, `failed` or `skipped`.
    public var outcome: String
    public var httpStatus: Int?
    public var attempts: Int
    public var error: String?

    public init(
        time: String, owner: String?, planDigest: String, changeID: String, action: String, subject: String, outcome: String,
        httpStatus: Int?, attempts: Int, error: String?
    ) {
        self.time = time
        self.owner = owner
        self.planDigest = planDigest
        self.changeID = changeID
        self.action = action
        self.subject = subject
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.attempts = attempts
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case time, owner, planDigest = "plan_digest", changeID = "change_id", action, subject, outcome
        case httpStatus = "http_status", attempts, error
    }
}

/// A tenant's journal: `<workspace>/.stoicprov/journal/<tenant>.jsonl`, one JSON line per change outcome, appended
/// with one `write(2)` per line on an `O_APPEND` descriptor, so a killed apply (even `kill -9`) leaves every line it
/// finished, and nothing half-written but possibly the last.
public final class Journal: Sendable {
    public let path: URL
    private let descriptor: Mutex<Int32>

    public init(workspace: URL, tenant: String) throws(ApplyError) {
        let directory = workspace.appendingPathComponent(".stoicprov/journal", isDirectory: true)
        path = directory.appendingPathComponent(TenantLock.fileName(tenant) + ".jsonl")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .stateFile(path: directory.path, reason: FileAccess.problem(for: error, path: directory.path).description)
        }
        let opened = open(path.path, O_CREAT | O_WRONLY | O_APPEND, 0o644)
        guard opened >= 0 else { throw .stateFile(path: path.path, reason: String(cString: strerror(errno))) }
        descriptor = Mutex(opened)
    }

    deinit {
        close()
    }

    /// Appends one line.
    public func append(_ entry: JournalEntry) throws(ApplyError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let encoded = try? encoder.encode(entry) else {
            throw .stateFile(path: path.path, reason: "could not encode a journal entry")
        }
        // Error messages come from servers: a last check that no resolved secret is written.
        var line = SecretScrubber.scrub(encoded)
        line.append(0x0A)
        let (written, code) = descriptor.withLock { fd -> (Int, Int32) in
            guard fd >= 0 else { return (-1, EBADF) }
            let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            return (written, errno)
        }
        guard written == line.count else {
            let reason = written < 0 ? String(cString: strerror(code)) : "short write (\(written) of \(line.count) bytes)"
            throw .stateFile(path: path.path, reason: "could not append to the journal: \(reason)")
        }
    }

    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    /// Every entry of a journal file, lines that do not decode skipped. No command reads journals yet: the tests do.
    public static func entries(at path: URL) throws(ApplyError) -> [JournalEntry] {
        guard let data = FileManager.default.contents(atPath: path.path) else {
            throw .stateFile(path: path.path, reason: "cannot read")
        }
        return data.split(separator: 0x0A).compactMap { try? JSONDecoder().decode(JournalEntry.self, from: Data($0)) }
    }
}
