import Foundation
import Live
import Planner

/// What became of one change.
public enum ChangeOutcome: Sendable, Hashable, Codable {
    /// Applied. `adopted` when the object already existed and was taken over instead of created again.
    case done(adopted: Bool)
    /// Tried and failed; the reason names the request and the server's answer.
    case failed(reason: String)
    /// Not tried ("depends on failed …").
    case skipped(reason: String)

    public var isDone: Bool {
        if case .done = self { return true }
        return false
    }

    /// `done`, `adopted`, `failed` or `skipped`, as the journal writes it.
    public var label: String {
        switch self {
        case .done(let adopted): adopted ? "adopted" : "done"
        case .failed: "failed"
        case .skipped: "skipped"
        }
    }

    public var reason: String? {
        switch self {
        case .done: nil
        case .failed(let reason), .skipped(let reason): reason
        }
    }
}

/// One change's line in the report.
public struct ChangeReport: Sendable, Hashable, Codable {
    public var changeID: String
    public var destination: Destination
    public var action: Action.Kind
    /// Who or what the change is about (an email, a group name, a tenant id).
    public var subject: String
    public var outcome: ChangeOutcome
    /// The last HTTP status of the change's write, when there was one.
    public var httpStatus: Int?
    /// Times the write was sent (0 when an existing object was adopted without writing).
    public var attempts: Int
    public var seconds: Double
}

/// One tenant's part of an apply.
public struct TenantApplyReport: Sendable, Hashable, Codable {
    public var tenant: String
    /// Set when nothing was applied because a guard, the lock or a stale check refused it.
    public var refusal: String?
    /// In the order the changes finished.
    public var changes: [ChangeReport]
    /// Requests sent during this tenant's apply, per connection (retries included).
    public var requests: [String: ChannelStats]
    public var seconds: Double
    /// Set when the journal could not be written: the apply stopped, and this says which outcomes are unrecorded.
    public var journalFailure: String? = nil

    public var doneCount: Int { changes.count { $0.outcome.isDone } }
    public var failedCount: Int { changes.count { if case .failed = $0.outcome { true } else { false } } }
    public var skippedCount: Int { changes.count { if case .skipped = $0.outcome { true } else { false } } }
    public var hasFailures: Bool { refusal != nil || journalFailure != nil || changes.contains { !$0.outcome.isDone } }
}

/// The result of carrying out a plan: exit 1 when `hasFailures` is the CLI's business.
public struct ApplyReport: Sendable, Hashable, Codable {
    public var tenants: [TenantApplyReport]
    public var seconds: Double

    public init(tenants: [TenantApplyReport], seconds: Double) {
        self.tenants = tenants
        self.seconds = seconds
    }

    public var hasFailures: Bool { tenants.contains { $0.hasFailures } }
    /// Every change's report across tenants.
    public var changes: [ChangeReport] { tenants.flatMap(\.changes) }
}

/// Progress of a running apply, sent after every finished change (the CLI draws it; libraries never print).
public struct ApplyProgress: Sendable, Hashable {
    public var tenant: String
    /// Changes finished (done, failed or skipped) of `total`, for this tenant.
    public var finished: Int
    public var total: Int
    public var failed: Int
    /// Requests sent so far in this tenant's apply, over all connections.
    public var requests: Int
    public var elapsed: Double

    /// Changes finished per second so far.
    public var changesPerSecond: Double { elapsed > 0 ? Double(finished) / elapsed : 0 }
    /// Requests sent per minute so far.
    public var requestsPerMinute: Double { elapsed > 0 ? Double(requests) * 60 / elapsed : 0 }
    /// Seconds left at the rate so far, `nil` before the first change finishes.
    public var estimatedSecondsLeft: Double? {
        guard finished > 0, elapsed > 0 else { return nil }
        return Double(total - finished) / changesPerSecond
    }
}
