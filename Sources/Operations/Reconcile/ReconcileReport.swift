import Foundation
import Live

/// One line of the orchestrator's log: one event handled (docs/reconcile.md "The log").
public struct ReconcileEventReport: Sendable, Hashable, Codable {
    public var event: String
    public var type: String
    /// `nil` for an event of an organization no tenant names, or a type not handled yet.
    public var tenant: String?
    /// Lower-cased emails of the people the event concerns.
    public var people: [String]
    /// `targeted`, `full`, `frame` (organization data read again), `ignored` (unknown organization),
    /// `not-handled` (a type the orchestrator does not act on yet).
    public var mode: String
    /// Changes done and failed for the event's people (for a full reconcile: the tenant's).
    public var done: Int
    public var failed: Int
    /// Removals the rate guard or the delete rule held back for a person's `apply`.
    public var held: Int
    /// Seconds from the event's `created_at` to its handling.
    public var lagSeconds: Double
    /// Why nothing was applied (a guard of the batch), when that happened.
    public var refusal: String?

    enum CodingKeys: String, CodingKey {
        case event, type, tenant, people, mode, done, failed, held, refusal
        case lagSeconds = "lag_seconds"
    }
}

/// A full reconcile of one tenant, and why it ran.
public struct FullReconcileReport: Sendable, Hashable, Codable {
    public var tenant: String
    /// `first` (no state yet), `event`, `burst`, `retention`, `schedule`.
    public var reason: String
    public var done: Int
    public var failed: Int
    public var held: Int
    public var refusal: String?
}

/// What one pass did.
public struct ReconcilePassReport: Sendable {
    public var events: [ReconcileEventReport] = []
    public var fullReconciles: [FullReconcileReport] = []
    /// Problems of the pass (a tenant that could not be read or locked, the event API failing): each is retried on
    /// the next pass, and the cursor stays before the first event they concern.
    public var errors: [String] = []
    /// Removals held back per tenant by the rate guard, with the message a person reads.
    public var removalsHeld: [String: String] = [:]
    /// Events read in this pass; 0 when the stream is caught up.
    public var eventsRead: Int = 0
    /// The cursor saved at the end of the pass.
    public var cursor: ReconcileCursor?

    public init() {}
}

/// Counters since the orchestrator started, for `/metrics` and `/healthz`.
public struct ReconcileMetrics: Sendable, Hashable {
    public var eventsProcessed = 0
    public var eventsIgnored = 0
    public var eventsNotHandled = 0
    /// Seconds from the last event handled to its handling; seconds since the cursor's event when idle.
    public var lagSeconds: Double = 0
    /// Per destination (connection name).
    public var changesDone: [String: Int] = [:]
    public var changesFailed: [String: Int] = [:]
    /// Per tenant, when the last full reconcile finished.
    public var lastFullReconcile: [String: Date] = [:]
    public var passes = 0
    public var lastPassAt: Date?
    /// Set while the workspace does not validate (every pass fails).
    public var specInvalid: String?
    /// Requests and rate-limit waits per connection (filled from the connections when read).
    public var requests: [String: ChannelStats] = [:]

    public init() {}
}
