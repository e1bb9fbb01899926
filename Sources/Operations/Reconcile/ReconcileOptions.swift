import Foundation

/// Where `reconcile` starts reading events: `--since 15m` (a duration back from now), `--since 2026-11-27T10:00:00Z`
/// (an instant) or `--since event_01…` (after that event).
public enum ReconcileSince: Sendable, Hashable {
    case duration(seconds: Double)
    case instant(Date)
    case event(String)

    /// `30s`, `15m`, `2h`, `1d`; an ISO-8601 instant; an id starting `event_`.
    public static func parse(_ text: String) throws(OperationsError) -> ReconcileSince {
        if text.hasPrefix("event_"), text.utf8.count <= 1024 { return .event(text) }
        if let seconds = ReconcileDuration.seconds(text) { return .duration(seconds: seconds) }
        if let date = Now.parse(text) { return .instant(date) }
        throw .invalidSince(text)
    }

    /// The `range_start` this asks for, given the time now (`nil` for an event id).
    func rangeStart(now: Date) -> Date? {
        switch self {
        case .duration(let seconds): now.addingTimeInterval(-seconds)
        case .instant(let date): date
        case .event: nil
        }
    }
}

/// Durations as the flags write them: a whole number and a unit (`s`, `m`, `h`, `d`).
public enum ReconcileDuration {
    public static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0, number <= 10_000_000 else { return nil }
        switch unit {
        case "s": return Double(number)
        case "m": return Double(number) * 60
        case "h": return Double(number) * 3600
        case "d": return Double(number) * 86400
        default: return nil
        }
    }
}

/// How the orchestrator runs (docs/reconcile.md).
public struct ReconcileOptions: Sendable {
    /// The owner written in the tenant locks and journal lines the orchestrator takes and writes.
    public static let owner = "stoicprov-reconcile"

    /// Removals (people losing access) allowed per tenant in any hour; past it the tenant's removals stop until a
    /// person runs `stoicprov apply` (`--max-removals-per-hour`).
    public var removalsPerHour: Int
    /// People in one tenant's batch past which a full reconcile is cheaper (`--burst-people`); `nil`: from the
    /// request costs (`BurstThreshold`).
    public var burstPeople: Int?
    /// How long the event API keeps events (`--retention`, default 30 days): a cursor older than that has missed
    /// events, so every tenant is fully reconciled.
    public var retentionSeconds: Double
    /// Full reconcile of every tenant at this interval (`--full-every`); `nil`: never (`--once` without it).
    public var fullEverySeconds: Double?
    /// Events read per pass at most (100 a page); the rest waits for the next pass. 10,000, so that an IdP re-sync
    /// of 10,000 updates is one pass and one full reconcile.
    public var maxEventsPerPass: Int
    /// Changes in flight per tenant.
    public var parallelism: Int
    /// The clock (`STOICPROV_NOW`).
    public var now: @Sendable () -> Date
    /// Whether SIGTERM asked the orchestrator to stop: a pass then starts no new tenant batch (the one in flight
    /// finishes) and saves the cursor before the first event it did not handle.
    public var isStopping: @Sendable () -> Bool = { false }

    public init(
        removalsPerHour: Int = 25, burstPeople: Int? = nil, retentionSeconds: Double = 30 * 86400,
        fullEverySeconds: Double? = nil, maxEventsPerPass: Int = 10_000, parallelism: Int = 4,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.removalsPerHour = max(0, removalsPerHour)
        self.burstPeople = burstPeople
        self.retentionSeconds = retentionSeconds
        self.fullEverySeconds = fullEverySeconds
        self.maxEventsPerPass = min(10_000, max(1, maxEventsPerPass))
        self.parallelism = max(1, parallelism)
        self.now = now
    }
}

/// When a batch of events for one tenant costs more in targeted reads than one full reconcile of it.
///
/// A targeted person costs, per connection, what `Observer.observe(_:frame:people:)` reads: Thinkific 2 requests
/// (user by email, their enrollments) plus one per managed group, WorkOS 1 (the directory user), each SCIM app 2
/// (users, groups). A full observation costs what the last one made (`TenantReconcileState.fullCost`). Each
/// connection's requests are weighed by its rate limit (Thinkific 120/min, WorkOS 240/min, SCIM 600/min by default):
/// the batch goes full when `people × Σ targeted/rate ≥ Σ full/rate`. For P&G at 50,000 people (204 Thinkific and
/// 354 WorkOS reads, contracts) that is 204/120 + 354/240 = 3.18 min against (3/120 + 1/240) = 0.029 min a
/// person: ~109 people. With no full cost known yet, 100 people.
public enum BurstThreshold {
    public static let defaultPeople = 100
    static let perMinute: [String: Double] = ["thinkific": 120, "workos": 240]
    static let scimPerMinute: Double = 600

    public static func people(fullCost: [String: Int], managedGroups: Int, scimApps: [String]) -> Int {
        guard !fullCost.isEmpty else { return defaultPeople }
        func minutes(_ connection: String, _ requests: Double) -> Double {
            requests / (perMinute[connection] ?? scimPerMinute)
        }
        let full = fullCost.reduce(0.0) { $0 + minutes($1.key, Double($1.value)) }
        var targeted = minutes("thinkific", Double(2 + managedGroups)) + minutes("workos", 1)
        for app in scimApps { targeted += minutes(app, 2) }
        guard targeted > 0 else { return defaultPeople }
        return max(1, Int((full / targeted).rounded(.up)))
    }
}
