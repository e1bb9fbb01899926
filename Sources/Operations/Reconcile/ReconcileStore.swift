import Foundation
import Live
import Spec

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the orchestrator is in the WorkOS event stream: the id of the last event whose changes are done or
/// recorded failed, and that event's time. `<workspace>/.stoicprov/reconcile/cursor.json`.
public struct ReconcileCursor: Codable, Sendable, Hashable {
    /// The last event handled (`nil`: none yet; the stream is read from `--since`, or from now).
    public var after: String?
    /// Its `created_at` (ISO-8601), for the lag and the retention check.
    public var eventTime: String?
    /// When the cursor was saved (ISO-8601).
    public var savedAt: String

    public init(after: String?, eventTime: String?, savedAt: String) {
        self.after = after
        self.eventTime = eventTime
        self.savedAt = savedAt
    }

    enum CodingKeys: String, CodingKey {
        case after, eventTime = "event_time", savedAt = "saved_at"
    }
}

/// What the orchestrator knows of one tenant between passes: `<workspace>/.stoicprov/reconcile/tenants/<id>.json`.
public struct TenantReconcileState: Codable, Sendable, Hashable {
    /// The last event of this tenant handled, its time, and when it was handled (ISO-8601).
    public var lastEventID: String?
    public var lastEventTime: String?
    public var lastHandledAt: String?
    /// When the last full reconcile of the tenant finished (ISO-8601).
    public var lastFullReconcile: String?
    /// Lower-cased emails of the people entitled and provisioned, as the last full reconcile counted them and the
    /// targeted batches since have kept them: the seat and removal guards of a targeted batch count the tenant
    /// with them.
    public var entitled: [String]
    public var provisioned: [String]
    /// When each removal of the last hour was applied (ISO-8601), for the removal rate guard.
    public var removals: [String]
    /// Since when the orchestrator has stopped applying removals to the tenant (the rate guard tripped), or `nil`.
    /// A person's `stoicprov apply` of the tenant clears it.
    public var removalsHeldSince: String?
    /// Requests the last full observation of the tenant made, per connection (the burst threshold's cost).
    public var fullCost: [String: Int]
    /// The tenant's organization, directories, groups and courses as last read, and the digest of the workspace
    /// they were read for: a `--once` run reuses them instead of reading them again (`nil`: read them).
    public var frame: TenantFrame?
    public var frameDigest: String?

    public init() {
        entitled = []
        provisioned = []
        removals = []
        fullCost = [:]
    }

    enum CodingKeys: String, CodingKey {
        case lastEventID = "last_event_id", lastEventTime = "last_event_time", lastHandledAt = "last_handled_at"
        case lastFullReconcile = "last_full_reconcile", entitled, provisioned, removals
        case removalsHeldSince = "removals_held_since", fullCost = "full_cost", frame, frameDigest = "frame_digest"
    }
}

/// The orchestrator's files under `<workspace>/.stoicprov/reconcile/`. Every write goes to a temporary file in the
/// same directory, is flushed to disk, then renamed over the old one: a crash or `kill -9` leaves the old file or
/// the new one, never a torn one. Reads are bounded (`maxBytes`).
public struct ReconcileStore: Sendable {
    /// A tenant of 1,000,000 people keeps two lists of ~30 MB; anything larger is not ours.
    public static let maxBytes = 128 * 1024 * 1024

    public let directory: URL

    public init(workspace: URL) {
        directory = workspace.appendingPathComponent(".stoicprov/reconcile", isDirectory: true)
    }

    public var cursorPath: URL { directory.appendingPathComponent("cursor.json") }

    public func tenantPath(_ tenant: String) -> URL {
        directory.appendingPathComponent("tenants", isDirectory: true)
            .appendingPathComponent(tenant.replacingOccurrences(of: "/", with: "_") + ".json")
    }

    /// The saved cursor, or `nil` when there is none yet.
    public func cursor() throws(OperationsError) -> ReconcileCursor? {
        try read(ReconcileCursor.self, at: cursorPath)
    }

    public func save(_ cursor: ReconcileCursor) throws(OperationsError) {
        try write(cursor, to: cursorPath)
    }

    /// The tenant's saved state, or `nil` when the orchestrator has not handled it yet.
    public func tenant(_ id: String) throws(OperationsError) -> TenantReconcileState? {
        try read(TenantReconcileState.self, at: tenantPath(id))
    }

    public func save(_ state: TenantReconcileState, tenant: String) throws(OperationsError) {
        try write(state, to: tenantPath(tenant))
    }

    private func read<T: Decodable>(_ type: T.Type, at url: URL) throws(OperationsError) -> T? {
        switch FileAccess.read(url.path, maxBytes: Self.maxBytes) {
        case .failure(.notFound): return nil
        case .failure(let problem): throw .reconcileState(path: url.path, reason: problem.description)
        case .success(let data):
            do {
                return try JSONDecoder().decode(type, from: data)
            } catch {
                throw .reconcileState(path: url.path, reason: "not a state file this build reads (\(error))")
            }
        }
    }

    private func write<T: Encodable>(_ value: T, to url: URL) throws(OperationsError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Self.replace(url, with: try encoder.encode(value))
        } catch {
            throw .reconcileState(path: url.path, reason: "\(error)")
        }
    }

    /// Writes `data` to a temporary file beside `url`, flushes it and renames it over `url`.
    static func replace(_ url: URL, with data: Data) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID())")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }
}

/// What `plan` and `describe` show of a tenant's reconcile status, when the orchestrator has state for it.
public struct TenantReconcileStatus: Sendable, Hashable {
    public var tenant: String
    public var lastEventID: String?
    public var lastEventTime: String?
    /// Seconds from the last event to its handling.
    public var lagSeconds: Double?
    public var lastFullReconcile: String?
    public var removalsHeldSince: String?
}

extension ReconcileStore {
    /// The status of each of `tenants` that has state, in the order given; empty when the orchestrator never ran
    /// here. A state file that cannot be read is left out (the orchestrator reports it itself).
    public func statuses(_ tenants: [String]) -> [TenantReconcileStatus] {
        tenants.compactMap { tenant in
            guard let state = (try? self.tenant(tenant)) ?? nil else { return nil }
            var lag: Double?
            if let event = state.lastEventTime.flatMap(Now.parse), let handled = state.lastHandledAt.flatMap(Now.parse) {
                lag = max(0, handled.timeIntervalSince(event))
            }
            return TenantReconcileStatus(
                tenant: tenant, lastEventID: state.lastEventID, lastEventTime: state.lastEventTime, lagSeconds: lag,
                lastFullReconcile: state.lastFullReconcile, removalsHeldSince: state.removalsHeldSince)
        }
    }
}
