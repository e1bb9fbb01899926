/// One tenant's plan read as access rather than as API calls: who gains or loses which course, group and app, and
/// why, with counts; seats before and after against the licence; the programme; how long applying takes; and the
/// objects created for the tenant. Derived from the tenant's changes (so it never says more than they do), with
/// what only the planner knows added: the rules behind each cause, the people's names, the seats before.
///
/// Saved in the plan JSON as `summary` (docs/plan-format.md, format version 3).
public struct AccessSummary: Codable, Hashable, Sendable {
    /// The programme's first and last day (`YYYY-MM-DD`); `nil` when unknown (a plan built by hand).
    public var program: ProgramDates?
    public var seats: SeatChange
    /// The slowest connection's estimated seconds: connections are applied at the same time, each at its own
    /// rate limit, so the slowest one sets the pace.
    public var estimatedSeconds: Double
    /// Access gained, changed and lost, one line per cause and set of grants, gains first.
    public var lines: [AccessLine]
    /// Organizations and groups created or updated for the tenant, each with its own reason.
    public var objects: [TenantObject]
    /// Everyone the changes concern, by email: names for the per-person views and the pseudonym tags.
    public var people: [SummaryPerson]
    /// Access lost through a manual step rather than a change (a Thinkific group membership, which no API removes);
    /// counted in `lines` and shown with the person's other losses. `nil` when there is none.
    public var manualLosses: [ManualLoss]?

    public init(
        program: ProgramDates?, seats: SeatChange, estimatedSeconds: Double, lines: [AccessLine], objects: [TenantObject],
        people: [SummaryPerson], manualLosses: [ManualLoss]? = nil
    ) {
        self.program = program
        self.seats = seats
        self.estimatedSeconds = estimatedSeconds
        self.lines = lines
        self.objects = objects
        self.people = people
        self.manualLosses = manualLosses
    }

    enum CodingKeys: String, CodingKey {
        case manualLosses = "manual_losses"
        case program
        case seats
        case estimatedSeconds = "estimated_seconds"
        case lines
        case objects
        case people
    }
}

public struct ProgramDates: Codable, Hashable, Sendable {
    public var starts: String
    public var ends: String

    public init(starts: String, ends: String) {
        self.starts = starts
        self.ends = ends
    }
}

/// Seats used before the plan (people with access now) and after it (people entitled), against the licence.
public struct SeatChange: Codable, Hashable, Sendable {
    public var before: Int
    public var after: Int
    public var licensed: Int

    public init(before: Int, after: Int, licensed: Int) {
        self.before = before
        self.after = after
        self.licensed = licensed
    }
}

/// `+1,155 joined SG-Stoic-Learners → learners: thinkific conscious-leadership-foundations, group "P&G 2026"`.
public struct AccessLine: Codable, Hashable, Sendable {
    public enum Direction: String, Codable, Hashable, Sendable, Comparable {
        case gain
        case update
        case loss

        public static func < (lhs: Direction, rhs: Direction) -> Bool { lhs.rank < rhs.rank }

        private var rank: Int {
            switch self {
            case .gain: 0
            case .update: 1
            case .loss: 2
            }
        }
    }

    public var direction: Direction
    /// The changes' reason, without anything personal: `joined SG-Stoic-Learners`, `email changed in the directory`.
    public var cause: String
    /// The access rules the cause goes through (`learners`), when the cause names an IdP group or a roster.
    public var rules: [String]
    /// What each of these people gains, changes or loses, sorted.
    public var grants: [Grant]
    /// How many people.
    public var people: Int

    public init(direction: Direction, cause: String, rules: [String], grants: [Grant], people: Int) {
        self.direction = direction
        self.cause = cause
        self.rules = rules
        self.grants = grants
        self.people = people
    }
}

/// One item of access on one connection: the account itself, a course, or a group.
public struct Grant: Codable, Hashable, Sendable, Comparable {
    public enum Kind: String, Codable, Hashable, Sendable {
        case account
        case course
        case group
    }

    public var destination: Destination
    public var kind: Kind
    /// The course slug or group name; empty for an account.
    public var name: String

    public init(destination: Destination, kind: Kind, name: String = "") {
        self.destination = destination
        self.kind = kind
        self.name = name
    }

    public static func < (lhs: Grant, rhs: Grant) -> Bool {
        (lhs.destination, kindRank(lhs.kind), lhs.name) < (rhs.destination, kindRank(rhs.kind), rhs.name)
    }

    private static func kindRank(_ kind: Kind) -> Int {
        switch kind {
        case .account: 0
        case .course: 1
        case .group: 2
        }
    }
}

/// An organization or group created or updated for the tenant as a whole.
public struct TenantObject: Codable, Hashable, Sendable {
    public var destination: Destination
    public var kind: Change.Kind
    /// The change's description: `create Thinkific group "P&G 2026"`.
    public var description: String
    /// Why, independent of any one person: `granted by rules learners, managers`, `new tenant`.
    public var reason: String

    public init(destination: Destination, kind: Change.Kind, description: String, reason: String) {
        self.destination = destination
        self.kind = kind
        self.description = description
        self.reason = reason
    }
}

/// A person the plan concerns: the email the changes name (lower-cased), the name as the directory, a roster or
/// a live system knows it, and a short pseudonym tag set by `Plan.pseudonymised(key:)`.
public struct SummaryPerson: Codable, Hashable, Sendable {
    public var email: String
    public var firstName: String
    public var lastName: String
    /// Hex digits of a keyed digest of the email (`3f2c`); `nil` until tagged. See `Pseudonym`.
    public var tag: String?

    public init(email: String, firstName: String, lastName: String, tag: String? = nil) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.tag = tag
    }

    enum CodingKeys: String, CodingKey {
        case email
        case firstName = "first_name"
        case lastName = "last_name"
        case tag
    }
}

/// One person's access that a manual step takes away: `remove ana@pg.com from Thinkific group "P&G 2026"`.
public struct ManualLoss: Codable, Hashable, Sendable {
    /// Lower-cased, as the changes name the person.
    public var email: String
    public var grant: Grant
    public var cause: String

    public init(email: String, grant: Grant, cause: String) {
        self.email = email
        self.grant = grant
        self.cause = cause
    }
}
