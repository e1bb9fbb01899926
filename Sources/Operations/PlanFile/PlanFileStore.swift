import Foundation
import Live
import Planner
import Spec

/// Saved plans on disk: `stoicprov plan --out FILE` writes one, `show` and `apply FILE` read one. The JSON form
/// itself is `PlanFile`'s (in Planner); this is where the bytes meet the file system.
public enum PlanFileStore {
    /// Streams the JSON plan into a temporary file beside `path`, then renames it over `path`: a reader never sees
    /// half a plan, and a 50,000-person plan (~160 MB) is never whole in memory.
    public static func save(_ plan: Plan, to path: String) throws(OperationsError) {
        do {
            try write(plan, to: path)
        } catch {
            throw .cannotWritePlan(detail: FileAccess.describe(error, path: path))
        }
    }

    /// Reads and decodes the plan saved at `path`.
    public static func read(_ path: String) throws(OperationsError) -> Plan {
        let data: Data
        do {
            data = try FileAccess.read(path, maxBytes: FileAccess.maxPlanFileBytes).get()
        } catch {
            throw .cannotReadPlan(detail: FileAccess.describe(error, path: path))
        }
        do {
            return try Plan.decode(from: data)
        } catch {
            throw .invalidPlan(path: path, error)
        }
    }

    /// What `apply TARGET` names: the plan saved at `target` when it is a file; `nil` for a directory, or for nothing
    /// there (which loading it as a workspace then reports).
    public static func savedPlan(at target: String) throws(OperationsError) -> Plan? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return try read(target)
    }

    /// The JSON plan handed to `sink` in writes of about 1 MB (to stdout, or to a file), every known secret scrubbed.
    public static func stream(_ plan: Plan, to sink: (Data) -> Void) {
        withoutActuallyEscaping(sink) { sink in
            let chunked = Chunked(sink)
            // Each piece is whole JSON values, so a secret never straddles two pieces.
            PlanFile.writeJSON(plan) { chunked.append(SecretScrubber.scrub($0)) }
            chunked.flush()
        }
    }

    private static func write(_ plan: Plan, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID())")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        close(descriptor)
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            var failure: (any Error)?
            stream(plan) { data in
                guard failure == nil else { return }
                do { try handle.write(contentsOf: data) } catch { failure = error }
            }
            if let failure { throw failure }
            try handle.synchronize()
            guard rename(temporary.path, target.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// Gathers small pieces into writes of about 1 MB.
private final class Chunked {
    private let sink: (Data) -> Void
    private var buffer = Data()

    init(_ sink: @escaping (Data) -> Void) {
        self.sink = sink
    }

    func append(_ data: Data) {
        buffer.append(data)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
