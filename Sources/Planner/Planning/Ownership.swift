import Spec

/// Who gave what: stoicprov takes away — deactivates, deletes, expires, removes from a group — only what it
/// provisioned, or what the tenant adopted (DESIGN §3). Everything else the tenant's scope reaches is *unmanaged*:
/// counted in the plan and left alone. Decided per object, from what the live systems say (so a plan run from a fresh
/// checkout decides the same as one run where apply ran):
///
/// - **SCIM user**: its `externalId` carries stoicprov's marker (`SCIMMarker`), written on every user stoicprov
///   creates. A user made by an earlier version carries the bare directory `idp_id` instead; it counts as
///   stoicprov's while the directory reports a person of that id (deactivated, or still in a mapped group). Earlier
///   versions wrote no `externalId` for roster people: such a user cannot be told from one made by hand, and is
///   adopted explicitly.
/// - **SCIM group membership**: the member is a user stoicprov may take away.
/// - **Thinkific enrollment**: it carries the programme's dates, which stoicprov writes on every enrollment it makes
///   or re-grants, and always has: `activated_at` = `program.starts`, or `expiry_date` = the end of `program.ends`.
///   An enrollment made by hand carries the moment it was made.
/// - **Thinkific group membership**: the member holds one of stoicprov's enrollments in the tenant's courses
///   (Thinkific users carry no marker stoicprov could write without an extra request per user).
/// - **Anything** in a destination the tenant adopted: `adopt: { <destination>: { existing: true } }`.
struct Ownership {
    /// Destinations whose existing objects the tenant adopted.
    let adopted: Set<String>
    /// Directory ids of every person the directory reported (active or not).
    let directoryIdpIDs: Set<String>
    /// The dates stoicprov writes on enrollments.
    let programStart: Instant
    let programEnd: Instant

    init(tenant: Tenant, observation: ObservedTenant) {
        adopted = tenant.adopted
        directoryIdpIDs = Set(observation.directory?.users.map(\.idpID) ?? [])
        programStart = Instant(tenant.program.starts)
        programEnd = tenant.program.endInstant
    }

    /// Whether stoicprov may take `user` away in `app`.
    func mayRemove(_ user: SCIMUser, app: String) -> Bool {
        if user.hasStoicprovMarker || adopted.contains(app) { return true }
        guard let idpID = user.externalID else { return false }
        return directoryIdpIDs.contains(idpID)
    }

    /// The directory id `user` carries when it is one stoicprov wrote, or one the directory reports: another
    /// provisioning client's `externalId` says nothing about the directory (and must not make a removal reason).
    func directoryID(of user: SCIMUser) -> String? {
        guard let idpID = user.externalID, user.hasStoicprovMarker || directoryIdpIDs.contains(idpID) else { return nil }
        return idpID
    }

    /// Whether stoicprov made `user` for a roster row: marked, with no directory id.
    func isRosterUser(_ user: SCIMUser) -> Bool { user.hasStoicprovMarker && user.externalID == nil }

    /// Whether stoicprov may expire `enrollment`.
    func mayExpire(_ enrollment: ThinkificEnrollment) -> Bool {
        adopted.contains(Self.thinkific) || carriesProgrammeDates(enrollment)
    }

    /// Thinkific users stoicprov may take out of a group: the holders of its enrollments in `courseIDs` (the tenant's
    /// courses), expired or not — every user, when the tenant adopted Thinkific (`nil`).
    func thinkificMembersToManage(_ enrollments: [ThinkificEnrollment], courseIDs: Set<Int>) -> Set<Int>? {
        guard !adopted.contains(Self.thinkific) else { return nil }
        var users: Set<Int> = []
        for enrollment in enrollments where courseIDs.contains(enrollment.courseID) && carriesProgrammeDates(enrollment) {
            users.insert(enrollment.userID)
        }
        return users
    }

    private func carriesProgrammeDates(_ enrollment: ThinkificEnrollment) -> Bool {
        if let text = enrollment.activatedAt, Instant(parsing: text) == programStart { return true }
        if let text = enrollment.expiryDate, Instant(parsing: text) == programEnd { return true }
        return false
    }

    static let thinkific = "thinkific"
}

extension TenantPlanner {
    /// Counts an object the rules no longer grant that stoicprov did not provision: it is left alone.
    mutating func leaveAlone(_ destination: Destination, _ kind: UnmanagedCount.Kind) {
        unmanaged[UnmanagedCount.Key(destination: destination, kind: kind), default: 0] += 1
    }

    /// The counts of `leaveAlone`, by destination and kind.
    var unmanagedCounts: [UnmanagedCount] {
        unmanaged.map { UnmanagedCount(destination: $0.key.destination, kind: $0.key.kind, count: $0.value) }
            .sorted { ($0.destination.name, $0.kind.rawValue) < ($1.destination.name, $1.kind.rawValue) }
    }
}
