import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps the surfaces' state in a JSON file `{"<surface>": <snapshot>, …}`: restored on start, saved on a background
/// queue shortly (`delay`) after a change and once more on shutdown. Writes are atomic (temp file in the same
/// directory, fsync, rename), so a reader sees the old file or the new one, never a torn one. A `kill -9` can lose
/// the changes of the last `delay`.
final class StateStore: Sendable {
    let path: String
    private let surfaces: [any Surface]
    private let delay: Double
    private let log: (@Sendable (String) -> Void)?
    private let queue = DispatchQueue(label: "sandbox-state")
    /// (dirty, a save is scheduled)
    private let flags = Mutex<(isDirty: Bool, isScheduled: Bool)>((false, false))

    init(path: String, surfaces: [any Surface], delay: Double = 0.3, log: (@Sendable (String) -> Void)?) {
        self.path = path
        self.surfaces = surfaces
        self.delay = delay
        self.log = log
    }

    /// Restores every surface that has a section in the file; a missing file is a fresh start.
    func restore() throws(SandboxError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let object: Any
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .state(path: path, reason: "cannot read it as JSON: \(error.localizedDescription)")
        }
        guard let sections = object as? [String: Any] else {
            throw .state(path: path, reason: "expected a JSON object keyed by surface name")
        }
        for surface in surfaces {
            guard let section = sections[surface.name] else { continue }
            do {
                let data = try JSONSerialization.data(withJSONObject: section, options: [.fragmentsAllowed])
                try surface.restore(from: data)
            } catch {
                throw .state(path: path, reason: "cannot restore '\(surface.name)': \(error)")
            }
        }
    }

    /// Notes a change; a save follows within `delay` seconds.
    func markDirty() {
        let shouldSchedule = flags.withLock { flags in
            flags.isDirty = true
            guard !flags.isScheduled else { return false }
            flags.isScheduled = true
            return true
        }
        if shouldSchedule {
            queue.asyncAfter(deadline: .now() + delay) { [self] in
                flags.withLock { $0.isScheduled = false }
                saveIfDirty()
            }
        }
    }

    /// Saves now if anything changed since the last save, waiting for any save in progress. Used on shutdown.
    func flush() {
        queue.sync { saveIfDirty() }
    }

    /// Runs on `queue`.
    private func saveIfDirty() {
        let wasDirty = flags.withLock { flags in
            defer { flags.isDirty = false }
            return flags.isDirty
        }
        guard wasDirty else { return }
        do throws(SandboxError) {
            try save()
        } catch {
            flags.withLock { $0.isDirty = true }
            log?("sandbox: \(error)")
        }
    }

    /// Writes every surface's snapshot atomically.
    func save() throws(SandboxError) {
        var document = Data("{".utf8)
        for (index, surface) in surfaces.enumerated() {
            let snapshot: Data
            do {
                snapshot = try surface.snapshot()
            } catch {
                throw .state(path: path, reason: "cannot snapshot '\(surface.name)': \(error)")
            }
            if index > 0 { document.append(contentsOf: Array(",\n".utf8)) }
            let key = (try? JSONSerialization.data(withJSONObject: surface.name, options: [.fragmentsAllowed])) ?? Data()
            document.append(key)
            document.append(contentsOf: Array(":".utf8))
            document.append(snapshot)
        }
        document.append(contentsOf: Array("}\n".utf8))
        try Self.writeAtomically(document, to: path)
    }

    /// Temp file beside `path`, written and fsynced, then renamed over it; the directory is fsynced too.
    static func writeAtomically(_ data: Data, to path: String) throws(SandboxError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw .state(path: path, reason: "cannot create \(temporary): \(Socket.lastError)") }
        let written = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let count = write(fd, base + offset, buffer.count - offset)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written, synced else {
            let reason = Socket.lastError
            unlink(temporary)
            throw .state(path: path, reason: "cannot write: \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = Socket.lastError
            unlink(temporary)
            throw .state(path: path, reason: "cannot replace: \(reason)")
        }
        let directoryFD = open(directory, O_RDONLY)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }
}
