import Spec

/// Plans one tenant: the diff between the desired state and one observation, with reasons, preconditions and the
/// safety rules. A value that is filled in by `run()`, stage by stage (WorkOS, Thinkific, SCIM apps, safety).
struct TenantPlanner {
    let workspace: Workspace
    let tenant: Tenant
    let observation: ObservedTenant
    let now: Instant
    let index: ObservationIndex
    let policy: RemovalPolicy
    /// The programme's dates as enrollments carry them.
    let activatedAt: Instant
    let expiresAt: Instant
    /// `tenant.rosterEmails`, computed once.
    let rosterEmails: Set<String>

    var desired = DesiredState()
    /// No removals at all: the directory could not be trusted (DESIGN §5).
    var suppressesRemovals = false

    var changes: [Change] = []
    var manualSteps: [ManualStep] = []
    var errors: [PlanProblem] = []
    var warnings: [PlanProblem] = []
    /// Person → what they keep under `removal: keep`.
    var kept: [String: [String]] = [:]
    /// People (desired email, else observed email) with at least one removal change.
    var removedPeople: Set<String> = []
    /// Emails of SCIM users that carry a directory id: people provisioned from the directory.
    var directoryLinked: Set<String> = []
    /// Emails of SCIM users without a directory id: people provisioned from a roster.
    var rosterLinked: Set<String> = []
    /// People currently with access anywhere (unexpired managed enrollment or active SCIM user).
    var provisioned: Set<String> = []
    /// Access only a manual step takes away, for the access summary.
    var manualLosses: [ManualLoss] = []

    init(workspace: Workspace, tenant: Tenant, observation: ObservedTenant, now: Instant) {
        self.workspace = workspace
        self.tenant = tenant
        self.observation = observation
        self.now = now
        self.index = ObservationIndex(observation)
        self.policy = workspace.removal(for: tenant)
        self.activatedAt = Instant(tenant.program.starts)
        self.expiresAt = Instant(tenant.program.ends, hour: 23, minute: 59, second: 59)
        self.rosterEmails = tenant.rosterEmails
    }

    mutating func run() -> TenantPlan {
        planWorkOS()
        let directoryPeople = trustedDirectoryPeople()
        desired = DesiredState(tenant: tenant, directoryPeople: directoryPeople)
        for app in observation.scimApps {
            for user in app.users {
                if user.externalID == nil {
                    rosterLinked.insert(user.userName.lowercased())
                } else {
                    directoryLinked.insert(user.userName.lowercased())
                }
            }
        }
        var thinkific = ThinkificMatch(planner: self)
        var apps = scimApps.map { SCIMMatch(planner: self, app: $0) }
        countProvisioned(thinkific, apps)
        checkDirectoryEmpty(directoryPeople)
        planThinkific(&thinkific)
        for position in apps.indices { planSCIM(&apps[position]) }
        reportKept()
        return finish()
    }

    // MARK: - Scope

    /// The SCIM apps the tenant's rules grant through, by name.
    var scimApps: [String] { Array(Set(tenant.access.flatMap { $0.scim.map(\.connection) })).sorted() }

    /// Whether an observed email belongs to this tenant (its domains, rosters or directory).
    func isTenantPerson(_ email: String) -> Bool {
        tenant.owns(email: email) || rosterEmails.contains(email) || desired.directoryByEmail[email] != nil
    }

    /// `directory/person/<email>` for tenants whose people come from the directory.
    func directoryKeys(_ email: String) -> [String] {
        tenant.directory == .workos ? [ObservationIndex.Key.person(email)] : []
    }

    func preconditions(_ keys: [String]) -> [Precondition] {
        var seen: Set<String> = []
        return keys.filter { seen.insert($0).inserted }.map(index.precondition)
    }

    mutating func add(
        _ id: String, _ destination: String, _ kind: Change.Kind, _ action: Action, reason: String, dependsOn: [String?] = [],
        keys: [String]
    ) {
        changes.append(
            Change(
                id: id, destination: destination, kind: kind, action: action, reason: reason,
                dependsOn: dependsOn.compactMap { $0 }, preconditions: preconditions(keys)))
    }

    // MARK: - Removal

    /// Why `person` loses something `granted` by some rules: "left SG-Stoic-Managers", "deactivated in the
    /// directory", "no longer in any mapped group", "removed from roster".
    func removalReason(_ person: String, idpID: String? = nil, granted: (AccessRule) -> Bool) -> String {
        let rules = tenant.access.filter(granted)
        let groups = Array(Set(rules.flatMap(\.idpGroups))).sorted()
        let rosterRules = Set(tenant.rosters.map(\.access))
        let byRoster = rules.contains { rosterRules.contains($0.name) }
        let directoryPerson = desired.directoryByEmail[person] ?? idpID.flatMap { desired.directoryByIdpID[$0] }
        if let directoryPerson, !directoryPerson.isActive { return "deactivated in the directory" }
        guard tenant.directory == .workos, !groups.isEmpty else { return "removed from roster" }
        // Directory people are read group by group, so someone who left every mapped group is not seen at all:
        // the groups that granted the access are still the reason.
        let leftGroups = groups.count == 1 ? "left \(groups[0])" : "no longer in \(groups.joined(separator: " or "))"
        if directoryPerson != nil { return leftGroups }
        // Provisioned from the directory before (a SCIM user carries its `idp_id`): the roster is not the reason.
        // A SCIM user without one was created for a roster row.
        let cameFromDirectory = idpID != nil || directoryLinked.contains(person)
        guard byRoster, !cameFromDirectory else { return leftGroups }
        return rosterLinked.contains(person) ? "removed from roster" : "no longer in any mapped group or roster"
    }

    /// Records what `person` would lose, for the `removal: keep` warning.
    mutating func keep(_ person: String, _ what: String, reason: String) {
        kept[person, default: []].append("\(what) (\(reason))")
    }

    mutating func reportKept() {
        for person in kept.keys.sorted() {
            warnings.append(.removalKept(person: person, items: kept[person]!))
        }
    }
}
