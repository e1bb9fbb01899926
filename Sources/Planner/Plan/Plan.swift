import Foundation
import Spec

/// The result of planning: for each tenant, the ordered changes that would make the live systems match the
/// workspace, with their reasons and what was observed when they were computed. Saved as JSON by
/// `plan --out`, rendered by `show`, carried out by `apply`. The JSON form is documented in `docs/plan-format.md`.
public struct Plan: Codable, Hashable, Sendable {
    /// Version of the saved-plan JSON format; bumped on any incompatible change. Version 2: `apply FILE` verifies
    /// a saved plan against a fresh plan, `observed_digest` is gone, and tenants carry an access `summary`
    /// (docs/plan-format.md).
    public static let currentFormatVersion = 3

    public var formatVersion: Int
    /// When the plan was computed (ISO-8601 in JSON).
    public var createdAt: Date
    /// SHA-256 over the workspace's files (config, tenants, rosters): apply refuses a plan whose spec changed.
    public var workspaceDigest: String
    /// Tenants in id order.
    public var tenants: [TenantPlan]
    /// The workspace directory as it was given to `plan` (`examples`), so `apply FILE` finds it again.
    public var workspace: String?
    /// How the pull-request comment shows people (`review.emails` in `stoicprov.yaml`); `nil` is masked.
    public var emailDisplay: EmailDisplay?

    public init(createdAt: Date, workspaceDigest: String, tenants: [TenantPlan], workspace: String? = nil) {
        self.formatVersion = Plan.currentFormatVersion
        self.createdAt = createdAt
        self.workspaceDigest = workspaceDigest
        self.tenants = tenants
        self.workspace = workspace
    }

    public var hasChanges: Bool { tenants.contains { !$0.changes.isEmpty } }
    /// Problems that forbid applying (seats exceeded, a failed directory read...), across tenants.
    public var hasErrors: Bool { tenants.contains { !$0.errors.isEmpty } }
}

/// One tenant's part of a plan.
public struct TenantPlan: Codable, Hashable, Sendable {
    public var tenant: String
    public var name: String
    /// Changes in apply order (dependencies first), deterministic.
    public var changes: [Change]
    /// Things an API cannot do, for a person to do by hand ("remove … from Thinkific group …").
    public var manualSteps: [ManualStep]
    /// Reasons this tenant's plan must not be applied as it stands (safety rules of DESIGN §5).
    public var errors: [PlanProblem]
    /// Things a reviewer should know that do not block applying (removal: keep leaving access in place, ...).
    public var warnings: [PlanProblem]
    public var seats: SeatUsage
    public var removalGuard: RemovalGuard
    /// Requests made to observe this tenant, per connection.
    public var observationRequests: [String: Int]
    /// Estimated requests and seconds to apply, per connection, at each connection's rate limit.
    public var estimates: [ApplyEstimate]
    /// The changes read as access, for reviewers (`nil` in a plan built by hand: see `accessSummary`).
    public var summary: AccessSummary?
    /// Objects the rules no longer grant that stoicprov did not provision, left alone, counted per destination and
    /// kind (`nil` when there are none; docs/spec.md, Ownership).
    public var unmanaged: [UnmanagedCount]?

    public init(
        tenant: String, name: String, changes: [Change] = [], manualSteps: [ManualStep] = [], errors: [PlanProblem] = [],
        warnings: [PlanProblem] = [], seats: SeatUsage, removalGuard: RemovalGuard, observationRequests: [String: Int] = [:],
        estimates: [ApplyEstimate] = []
    ) {
        self.tenant = tenant
        self.name = name
        self.changes = changes
        self.manualSteps = manualSteps
        self.errors = errors
        self.warnings = warnings
        self.seats = seats
        self.removalGuard = removalGuard
        self.observationRequests = observationRequests
        self.estimates = estimates
    }

    public var counts: ChangeCounts { ChangeCounts(changes) }
}

/// How many objects of one kind in one destination are out of stoicprov's hands: the tenant's scope reaches them and
/// its rules no longer grant them, but stoicprov did not provision them and the tenant did not adopt them.
public struct UnmanagedCount: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// SCIM users (which would have been deactivated or deleted).
        case users
        /// Thinkific enrollments (which would have been expired).
        case enrollments
        /// SCIM or Thinkific group memberships (which would have been removed, or asked for by hand).
        case memberships
    }

    /// Thinkific or a SCIM app (written as the connection name: `thinkific`, `insights`).
    public var destination: Destination
    public var kind: Kind
    public var count: Int

    public init(destination: Destination, kind: Kind, count: Int) {
        self.destination = destination
        self.kind = kind
        self.count = count
    }

    struct Key: Hashable {
        var destination: Destination
        var kind: Kind
    }
}

/// One change to one live system.
public struct Change: Codable, Hashable, Sendable, Identifiable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// `+` something new.
        case create
        /// `~` something changed in place.
        case update
        /// `-` access taken away (expire, deactivate, remove from group, delete).
        case remove

        public var symbol: String {
            switch self {
            case .create: "+"
            case .update: "~"
            case .remove: "-"
            }
        }
    }

    /// Stable within a plan, derived from what the change is about
    /// (`thinkific/enroll/ana@pg.com/conscious-leadership-foundations`).
    public var id: String
    public var kind: Kind
    public var action: Action
    /// Why, in a reviewer's words: "joined SG-Stoic-Learners", "program.ends changed", "listed in pg-in-person.csv".
    public var reason: String
    /// Ids of changes that must succeed first (the user before its enrollment).
    public var dependsOn: [String]
    /// What was observed about the objects this change touches; apply checks these still hold.
    public var preconditions: [Precondition]

    public init(
        id: String, kind: Kind, action: Action, reason: String, dependsOn: [String] = [],
        preconditions: [Precondition] = []
    ) {
        self.id = id
        self.kind = kind
        self.action = action
        self.reason = reason
        self.dependsOn = dependsOn
        self.preconditions = preconditions
    }

    /// Where the change is sent, as its action says.
    public var destination: Destination { action.destination }
}

/// A fact observed at plan time: the fingerprint of one live object, or `nil` when it did not exist.
public struct Precondition: Codable, Hashable, Sendable {
    /// What was looked at: `thinkific/user/ana@pg.com`, `thinkific/enrollment/ana@pg.com/leading-teams`,
    /// `directory/person/<idp_id>`, `scim/insights/user/ana@pg.com`.
    public var key: String
    /// A short digest of the object's relevant fields as observed; `nil` means "absent".
    public var observed: String?

    public init(key: String, observed: String?) {
        self.key = key
        self.observed = observed
    }
}

/// Something only a person can do, with its reason.
public struct ManualStep: Codable, Hashable, Sendable {
    public var destination: Destination
    public var description: String
    public var reason: String

    public init(destination: Destination, description: String, reason: String) {
        self.destination = destination
        self.description = description
        self.reason = reason
    }
}

/// A problem with a tenant's plan, named by a stable code (`seats-exceeded`, `directory-read-failed`,
/// `mass-removal`, ...).
public struct PlanProblem: Codable, Hashable, Sendable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// Seats used after the plan, against the licence.
public struct SeatUsage: Codable, Hashable, Sendable {
    public var entitled: Int
    public var licensed: Int

    public init(entitled: Int, licensed: Int) {
        self.entitled = entitled
        self.licensed = licensed
    }

    public var isExceeded: Bool { entitled > licensed }
}

/// The mass-removal guard: removals against the people currently provisioned and the threshold.
public struct RemovalGuard: Codable, Hashable, Sendable {
    public var removals: Int
    public var provisioned: Int
    /// The most removals allowed without `--allow-mass-removal`.
    public var threshold: Int

    public init(removals: Int, provisioned: Int, threshold: Int) {
        self.removals = removals
        self.provisioned = provisioned
        self.threshold = threshold
    }

    public var isTripped: Bool { removals > threshold }
}

/// How long applying would take on one connection at its rate limit.
public struct ApplyEstimate: Codable, Hashable, Sendable {
    public var connection: String
    public var requests: Int
    public var requestsPerMinute: Int?
    public var seconds: Double
    /// The limit that sets `seconds` when it is not `requestsPerMinute` (`4/s per directory`); absent otherwise.
    public var bindingLimit: String?

    public init(connection: String, requests: Int, requestsPerMinute: Int?, seconds: Double, bindingLimit: String? = nil) {
        self.connection = connection
        self.requests = requests
        self.requestsPerMinute = requestsPerMinute
        self.seconds = seconds
        self.bindingLimit = bindingLimit
    }
}

/// Counts of changes by kind.
public struct ChangeCounts: Codable, Hashable, Sendable {
    public var create = 0
    public var update = 0
    public var remove = 0

    public init(_ changes: some Sequence<Change>) {
        for change in changes {
            switch change.kind {
            case .create: create += 1
            case .update: update += 1
            case .remove: remove += 1
            }
        }
    }

    public var total: Int { create + update + remove }
}
