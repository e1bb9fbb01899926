import Spec

/// Plans one tenant: the diff between the desired state and one observation, with reasons, preconditions and the
/// safety rules. What the stages read is fixed when the planner is made (the desired state, the directory's trust,
/// how SCIM users were provisioned); `run()` then goes stage by stage (WorkOS, Thinkific, SCIM apps, safety), each
/// stage's result handed to the next, and the stages add changes, manual steps and problems to the plan.
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

    /// Who should have what: the spec's rules over the directory people planning may rely on.
    let desired: DesiredState
    /// The directory people planning may rely on (none when the directory cannot be relied on, or there is none).
    let directoryPeople: [DirectoryPerson]
    /// Why the directory cannot be relied on (`nil`: it can, or the tenant has none).
    let directoryFailure: String?
    /// No removals at all: the directory could not be trusted, or returned nobody (DESIGN §5). Decided once in
    /// `run()`, before the first stage that removes anything.
    private(set) var suppressesRemovals = false
    /// Directory ids of people left out for an invalid email, and the emails their SCIM users carry: nothing of
    /// theirs is removed either, since the directory still has them (`directory-email-invalid`).
    let heldBackIdpIDs: Set<String>
    let heldBackEmails: Set<String>
    /// The directory people left out for an invalid email, for their warnings.
    let heldBack: [DirectoryPerson]

    var changes: [Change] = []
    var manualSteps: [ManualStep] = []
    var errors: [PlanProblem] = []
    var warnings: [PlanProblem] = []
    /// Person → what they keep under `removal: keep`.
    var kept: [String: [String]] = [:]
    /// People (desired email, else observed email) with at least one removal change.
    var removedPeople: Set<String> = []
    /// Emails of SCIM users that carry a directory id stoicprov wrote (`Ownership.directoryID(of:)`): people provisioned
    /// from the directory.
    let directoryLinked: Set<String>
    /// Emails of SCIM users stoicprov made for a roster row (marked, without a directory id).
    let rosterLinked: Set<String>
    /// Access only a manual step takes away, for the access summary.
    var manualLosses: [ManualLoss] = []
    /// Emails of Thinkific users that carry the tenant's sign-in record (`SignIn.marker(tenant:)`).
    let recordedSignIns: Set<String>
    /// What stoicprov may take away (`Ownership`).
    let ownership: Ownership
    /// Objects left alone because stoicprov did not provision them, counted (`leaveAlone`).
    var unmanaged: [UnmanagedCount.Key: Int] = [:]
    /// Planning scoped to a few people (`PlanScope`), or `nil` for the whole tenant.
    let scope: PlanScope?
    /// The people provisioned before the plan, once `run()` has counted them.
    private(set) var provisionedNow: Set<String> = []

    init(
        workspace: Workspace, tenant: Tenant, observation: ObservedTenant, now: Instant, signIns: [SignIn] = [],
        scope: PlanScope? = nil
    ) {
        self.scope = scope
        self.workspace = workspace
        self.tenant = tenant
        self.observation = observation
        self.now = now
        self.index = ObservationIndex(observation)
        self.policy = workspace.removal(for: tenant)
        self.activatedAt = Instant(tenant.program.starts)
        self.expiresAt = tenant.program.endInstant
        self.rosterEmails = tenant.rosterEmails
        let directory = Self.trustedDirectoryPeople(tenant: tenant, observation: observation)
        let marker = SignIn.marker(tenant: tenant.id)
        let recorded = (observation.thinkific?.users ?? []).filter { $0.externalSource == marker }.map { user in
            SignIn(email: user.email, firstName: user.firstName ?? "", lastName: user.lastName ?? "", at: nil)
        }
        self.recordedSignIns = Set(recorded.map(\.email))
        self.desired = DesiredState(
            tenant: tenant, directoryPeople: directory.people,
            signIns: SignIn.merged(signIns + observation.signIns + recorded), now: now)
        self.directoryPeople = directory.people
        self.directoryFailure = directory.failure
        self.heldBack = directory.heldBack
        let heldBackIdpIDs = Set(directory.heldBack.map(\.idpID))
        self.heldBackIdpIDs = heldBackIdpIDs
        let scimUsers = observation.scimApps.flatMap(\.users)
        self.heldBackEmails = Set(
            scimUsers.filter { $0.externalID.map(heldBackIdpIDs.contains) ?? false }.map { $0.userName.lowercased() })
        let ownership = Ownership(tenant: tenant, observation: observation)
        self.ownership = ownership
        self.rosterLinked = Set(scimUsers.filter(ownership.isRosterUser).map { $0.userName.lowercased() })
        self.directoryLinked = Set(scimUsers.filter { ownership.directoryID(of: $0) != nil }.map { $0.userName.lowercased() })
    }

    mutating func run() -> TenantPlan {
        planWorkOS()
        if let directoryFailure { errors.append(.directoryReadFailed(directoryFailure)) }
        for person in heldBack {
            if let email = person.email, !email.isEmpty {
                warnings.append(.directoryEmailInvalid(userID: person.id, email: email))
            } else {
                warnings.append(.directoryEmailMissing(userID: person.id))
            }
        }
        var thinkific = ThinkificMatch(planner: self)
        var apps = scimApps.map { SCIMMatch(planner: self, app: $0) }
        let provisioned = provisionedPeople(thinkific, apps)
        provisionedNow = provisioned
        let directoryEmpty = directoryEmptyProblem(provisioned: provisioned)
        if let directoryEmpty { errors.append(directoryEmpty) }
        suppressesRemovals = directoryFailure != nil || directoryEmpty != nil
        planThinkific(&thinkific)
        for position in apps.indices { planSCIM(&apps[position]) }
        reportKept()
        return finish(provisioned: provisioned)
    }

    // MARK: - Scope

    /// The SCIM apps the tenant's rules grant through, by name.
    var scimApps: [String] { Array(Set(tenant.access.flatMap { $0.scim.map(\.connection) })).sorted() }

    /// Whether an observed email belongs to this tenant (its domains, rosters or directory).
    func isTenantPerson(_ email: String) -> Bool {
        tenant.owns(email: email) || rosterEmails.contains(email) || desired.directoryByEmail[email] != nil
            || recordedSignIns.contains(email)
    }

    /// `directory/person/<email>` for tenants whose people come from the directory.
    func directoryKeys(_ email: String) -> [String] {
        tenant.directory == .workos ? [ObjectKey.person(email)] : []
    }

    func preconditions(_ keys: [String]) -> [Precondition] {
        var seen: Set<String> = []
        return keys.filter { seen.insert($0).inserted }.map(index.precondition)
    }

    mutating func add(
        _ id: String, _ kind: Change.Kind, _ action: Action, reason: String, dependsOn: [String?] = [],
        keys: [String]
    ) {
        changes.append(
            Change(
                id: id, kind: kind, action: action, reason: reason,
                dependsOn: dependsOn.compactMap { $0 }, preconditions: preconditions(keys)))
    }

    // MARK: - Removal

    /// Why `person` loses something `granted` by some rules: "left SG-Stoic-Managers", "deactivated in the
    /// directory", "no longer in any mapped group", "removed from roster".
    func removalReason(_ person: String, idpID: String? = nil, granted: (AccessRule) -> Bool) -> String {
        if recordedSignIns.contains(person), desired.people[person] == nil {
            return now > tenant.program.endInstant ? "programme ended" : "sign-in grant revoked in the spec"
        }
        let rules = tenant.access.filter(granted)
        let groups = Array(Set(rules.flatMap(\.idpGroups))).sorted()
        let rosterRules = Set(tenant.rosters.map(\.access))
        let byRoster = rules.contains { rosterRules.contains($0.name) }
        let directoryPerson = desired.directoryByEmail[person] ?? idpID.flatMap { desired.directoryByIdpID[$0] }
        if let directoryPerson, !directoryPerson.isActive { return "deactivated in the directory" }
        // Only rules that no IdP group or roster gives (a sign-in rule the spec revoked): no group or roster to name.
        if groups.isEmpty, !byRoster { return "no access rule grants it any more" }
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
        for (person, items) in kept.sorted(by: { $0.key < $1.key }) {
            warnings.append(.removalKept(person: person, items: items))
        }
    }
}
