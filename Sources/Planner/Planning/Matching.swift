/// An enrollment's user and course.
struct UserCourse: Hashable {
    var userID: Int
    var courseID: Int
}

/// The tenant's Thinkific objects, indexed, and which observed user is which desired person.
///
/// Identity is the email, case-insensitively. Thinkific users carry no directory id, so an email changed in the IdP
/// is recognised through the SCIM apps: a SCIM user whose `externalId` is the person's `idp_id` names the old
/// email. Without such a SCIM user (a tenant with no SCIM app, or a person never provisioned there) the new email
/// looks like a new person: the plan creates a Thinkific user and expires the old one's enrollments.
struct ThinkificMatch {
    var observed: ObservedThinkific?
    /// Desired email → its Thinkific user.
    var users: [String: ThinkificUser] = [:]
    /// Desired email → the old email of its Thinkific user, when the IdP changed it.
    var renamedFrom: [String: String] = [:]
    /// Thinkific user id → desired email.
    var claimed: [Int: String] = [:]
    var emailByUserID: [Int: String] = [:]
    var courseBySlug: [String: ThinkificCourse] = [:]
    var slugByCourseID: [Int: String] = [:]
    var groupByName: [String: ThinkificGroup] = [:]
    var enrollments: [UserCourse: ThinkificEnrollment] = [:]
    /// Group name → ids of the tenant's people in it.
    var members: [String: Set<Int>] = [:]

    init(planner: TenantPlanner) {
        guard let observed = planner.observation.thinkific else { return }
        self.observed = observed
        var byEmail: [String: ThinkificUser] = [:]
        for user in observed.users {
            let email = user.email.lowercased()
            byEmail[email] = user
            emailByUserID[user.id] = email
        }
        for course in observed.courses {
            guard let slug = course.slug else { continue }
            courseBySlug[slug] = course
            slugByCourseID[course.id] = slug
        }
        for group in observed.groups where groupByName[group.name] == nil { groupByName[group.name] = group }
        for enrollment in observed.enrollments {
            let key = UserCourse(userID: enrollment.userID, courseID: enrollment.courseID)
            // Should a person have two enrollments in a course, the newest one is the one the plan manages.
            if let existing = enrollments[key], existing.id > enrollment.id { continue }
            enrollments[key] = enrollment
        }
        for group in observed.groupMembers { members[group.groupName, default: []].formUnion(group.userIDs) }

        var oldEmailByIdpID: [String: String] = [:]
        for app in planner.observation.scimApps {
            for user in app.users {
                guard let externalID = user.externalID else { continue }
                oldEmailByIdpID[externalID] = oldEmailByIdpID[externalID] ?? user.userName.lowercased()
            }
        }
        let desired = planner.desired
        for email in desired.sortedEmails {
            var user = byEmail[email]
            if user == nil, let idpID = desired.people[email]?.idpID, let old = oldEmailByIdpID[idpID], old != email,
                desired.people[old] == nil, let previous = byEmail[old], claimed[previous.id] == nil
            {
                user = previous
                renamedFrom[email] = old
            }
            guard let user, claimed[user.id] == nil else { continue }
            users[email] = user
            claimed[user.id] = email
        }
    }

    /// The person an observed user is: the desired email that claimed it, else its own email.
    func person(userID: Int, fallback: String) -> String {
        claimed[userID] ?? emailByUserID[userID] ?? fallback.lowercased()
    }
}

/// One SCIM app's objects for the tenant, indexed, and which observed user is which desired person: by
/// `externalId` = directory `idp_id` first (so an email change is an update), then by `userName` = email.
struct SCIMMatch {
    var app: String
    var observed: ObservedSCIMApp?
    /// Desired email → its SCIM user.
    var users: [String: SCIMUser] = [:]
    /// SCIM user id → desired email.
    var claimed: [String: String] = [:]
    var byID: [String: SCIMUser] = [:]
    var groupByName: [String: SCIMGroup] = [:]
    /// Group name → member user ids.
    var members: [String: Set<String>] = [:]

    init(planner: TenantPlanner, app: String) {
        self.app = app
        guard let observed = planner.observation.scimApps.first(where: { $0.app == app }) else { return }
        self.observed = observed
        var byExternalID: [String: SCIMUser] = [:]
        var byUserName: [String: SCIMUser] = [:]
        for user in observed.users {
            byID[user.id] = user
            if let externalID = user.externalID { byExternalID[externalID] = byExternalID[externalID] ?? user }
            byUserName[user.userName.lowercased()] = byUserName[user.userName.lowercased()] ?? user
        }
        for group in observed.groups where groupByName[group.displayName] == nil {
            groupByName[group.displayName] = group
            members[group.displayName] = Set(group.memberIDs)
        }
        let desired = planner.desired
        for email in desired.sortedEmails {
            guard let person = desired.people[email] else { continue }
            var user = person.idpID.flatMap { byExternalID[$0] }
            if let found = user, claimed[found.id] != nil { user = nil }
            if user == nil, let found = byUserName[email], claimed[found.id] == nil { user = found }
            guard let user else { continue }
            users[email] = user
            claimed[user.id] = email
        }
    }

    func person(_ user: SCIMUser) -> String { claimed[user.id] ?? user.userName.lowercased() }
}

extension TenantPlanner {
    /// Whether an enrollment gives access now.
    func isActive(_ enrollment: ThinkificEnrollment) -> Bool {
        guard !enrollment.isExpired else { return false }
        guard let text = enrollment.expiryDate, let expiry = Instant(parsing: text) else { return true }
        return expiry > now
    }

    /// People currently with access stoicprov gave (`Ownership`): an unexpired enrollment in a managed course, or an
    /// active SCIM user. Unmanaged people are no base for the mass-removal guard: they cannot be removed.
    func provisionedPeople(_ thinkific: ThinkificMatch, _ apps: [SCIMMatch]) -> Set<String> {
        var provisioned: Set<String> = []
        let managed = Set(tenant.courses.compactMap { thinkific.courseBySlug[$0]?.id })
        for enrollment in thinkific.observed?.enrollments ?? [] where managed.contains(enrollment.courseID) {
            guard isActive(enrollment), ownership.mayExpire(enrollment) else { continue }
            let person = thinkific.person(userID: enrollment.userID, fallback: enrollment.userEmail)
            if thinkific.claimed[enrollment.userID] != nil || isTenantPerson(person) { provisioned.insert(person) }
        }
        for app in apps {
            for user in app.observed?.users ?? [] where user.active && ownership.mayRemove(user, app: app.app) {
                let person = app.person(user)
                if app.claimed[user.id] != nil || isTenantPerson(person) { provisioned.insert(person) }
            }
        }
        return provisioned
    }
}
