extension AccessSummary {
    /// What the planner knows beyond the changes, for `init(_:context:)`.
    public struct Context {
        public var program: ProgramDates?
        /// People with access now; `nil` takes the removal guard's count of provisioned people.
        public var seatsBefore: Int?
        /// The access rules behind a cause (`joined SG-Stoic-Learners` → `learners`).
        public var rules: (String) -> [String]
        /// First and last name of a person by lower-cased email, when some source knows them.
        public var names: (String) -> (first: String, last: String)?
        /// Access the tenant's manual steps take away.
        public var manualLosses: [ManualLoss]

        public init(
            program: ProgramDates? = nil, seatsBefore: Int? = nil, rules: @escaping (String) -> [String] = { _ in [] },
            names: @escaping (String) -> (first: String, last: String)? = { _ in nil }, manualLosses: [ManualLoss] = []
        ) {
            self.program = program
            self.seatsBefore = seatsBefore
            self.rules = rules
            self.names = names
            self.manualLosses = manualLosses
        }
    }

    /// The summary of `tenant`'s changes. Every person counts once per line; lines with the same direction and
    /// cause but different grants stay apart (people who already had a course gain less than newcomers).
    public init(_ tenant: TenantPlan, context: Context = Context()) {
        struct LineKey: Hashable {
            var direction: AccessLine.Direction
            var cause: String
            var grants: [Grant]
        }
        struct PersonKey: Hashable {
            var direction: AccessLine.Direction
            var cause: String
        }
        var byPerson: [String: [PersonKey: Set<Grant>]] = [:]
        var namesFromActions: [String: (first: String, last: String)] = [:]
        var objects: [TenantObject] = []
        for change in tenant.changes {
            guard let access = Self.access(of: change.action) else {
                objects.append(
                    TenantObject(
                        destination: change.destination, kind: change.kind, description: change.action.description,
                        reason: change.reason))
                continue
            }
            let key = PersonKey(direction: Self.direction(of: change), cause: Self.cause(of: change.reason))
            byPerson[access.person, default: [:]][key, default: []].formUnion(access.grants)
            if let name = Self.name(in: change.action), namesFromActions[access.person] == nil {
                namesFromActions[access.person] = name
            }
        }
        for loss in context.manualLosses {
            byPerson[loss.email, default: [:]][PersonKey(direction: .loss, cause: Self.cause(of: loss.cause)), default: []]
                .insert(loss.grant)
        }
        var counts: [LineKey: Int] = [:]
        for parts in byPerson.values {
            for (key, grants) in parts {
                counts[LineKey(direction: key.direction, cause: key.cause, grants: grants.sorted()), default: 0] += 1
            }
        }
        let lines = counts.map { key, people in
            AccessLine(
                direction: key.direction, cause: key.cause, rules: context.rules(key.cause), grants: key.grants, people: people)
        }
        let people = byPerson.keys.sorted().map { email in
            let name = context.names(email) ?? namesFromActions[email] ?? (first: "", last: "")
            return SummaryPerson(email: email, firstName: name.first, lastName: name.last)
        }
        self.init(
            program: context.program,
            seats: SeatChange(
                before: context.seatsBefore ?? tenant.removalGuard.provisioned, after: tenant.seats.entitled,
                licensed: tenant.seats.licensed),
            estimatedSeconds: tenant.estimates.map(\.seconds).max() ?? 0, lines: lines.sorted(by: Self.precedes),
            objects: objects, people: people, manualLosses: context.manualLosses.isEmpty ? nil : context.manualLosses)
    }

    /// Gains, then updates, then losses; within each, most people first, then by cause and grants.
    private static func precedes(_ lhs: AccessLine, _ rhs: AccessLine) -> Bool {
        if lhs.direction != rhs.direction { return lhs.direction < rhs.direction }
        if lhs.people != rhs.people { return lhs.people > rhs.people }
        if lhs.cause != rhs.cause { return lhs.cause < rhs.cause }
        return lhs.grants.lexicographicallyPrecedes(rhs.grants)
    }

    /// The person an action concerns (lower-cased email or SCIM `userName`) and the access it touches; `nil` for
    /// the tenant's own objects (organization, groups).
    public static func access(of action: Action) -> (person: String, grants: [Grant])? {
        switch action {
        case .createOrganization, .updateOrganization, .createThinkificGroup, .createSCIMGroup:
            return nil
        case .createThinkificUser(let email, _, _), .updateThinkificUser(_, let email, _, _):
            return (email.lowercased(), [Grant(destination: .thinkific, kind: .account)])
        case .addToThinkificGroups(let email, _, let groups):
            return (email.lowercased(), groups.map { Grant(destination: .thinkific, kind: .group, name: $0) })
        case .enroll(let email, _, let slug, _, _, _), .updateEnrollment(let email, _, let slug, _, _, _),
            .expireEnrollment(let email, _, let slug, _):
            return (email.lowercased(), [Grant(destination: .thinkific, kind: .course, name: slug)])
        case .createSCIMUser(let app, let userName, _, _, _), .updateSCIMUser(let app, _, let userName, _, _, _, _),
            .deactivateSCIMUser(let app, _, let userName), .deleteSCIMUser(let app, _, let userName):
            return (userName.lowercased(), [Grant(destination: .scim(app: app), kind: .account)])
        case .addSCIMMember(let app, let group, _, let userName, _), .removeSCIMMember(let app, let group, _, let userName, _):
            return (userName.lowercased(), [Grant(destination: .scim(app: app), kind: .group, name: group)])
        }
    }

    /// Creates and re-grants are gains, removals are losses; other updates (dates, an email) change access in place.
    public static func direction(of change: Change) -> AccessLine.Direction {
        switch change.kind {
        case .create: return .gain
        case .remove: return .loss
        case .update:
            switch change.action {
            case .updateEnrollment(_, _, _, let activatedAt, _, _) where activatedAt != nil: return .gain
            case .updateSCIMUser where change.reason.hasPrefix("reactivated"): return .gain
            default: return .update
            }
        }
    }

    /// A change's reason without what is personal: `email changed in the directory (was ana@pg.com)` loses its
    /// parenthesis, so that people group together and no address reaches the summary.
    public static func cause(of reason: String) -> String {
        guard let open = reason.range(of: " (was ") else { return reason }
        return String(reason[..<open.lowerBound])
    }

    private static func name(in action: Action) -> (first: String, last: String)? {
        switch action {
        case .createThinkificUser(_, let first, let last), .updateThinkificUser(_, _, let first, let last),
            .createSCIMUser(_, _, _, let first, let last), .updateSCIMUser(_, _, _, _, let first, let last, _):
            return first.isEmpty && last.isEmpty ? nil : (first, last)
        default:
            return nil
        }
    }
}

extension TenantPlan {
    /// The saved summary, or one derived from the changes alone (a plan built by hand).
    public var accessSummary: AccessSummary { summary ?? AccessSummary(self) }
}
