import Foundation

/// What a change does, with everything apply needs to do it. Dates are calendar days (`YYYY-MM-DD`) or
/// ISO-8601 instants as strings so that saved plans are stable text.
public enum Action: Codable, Hashable, Sendable {
    // MARK: - WorkOS
    /// Create the tenant's organization (`external_id` = tenant id) with its domains.
    case createOrganization(externalID: String, name: String, domains: [String])
    /// Bring an existing organization's name or domains in line with the spec.
    case updateOrganization(id: String, name: String, domains: [String])

    // MARK: - Thinkific
    case createThinkificUser(email: String, firstName: String, lastName: String)
    /// Change a user's email (the IdP changed it; same directory `idp_id`) or name.
    case updateThinkificUser(userID: Int, email: String, firstName: String, lastName: String)
    /// `PUT /users/{id}` with `external_source` = `marker` (`SignIn.marker(tenant:)`): the durable record of a sign-in
    /// grant. `userID` is nil when the user is created by an earlier change.
    case recordThinkificSignIn(email: String, userID: Int?, marker: String)
    case createThinkificGroup(name: String)
    /// `POST /group_users` by group names. `userID` is nil when the user is created by an earlier change.
    case addToThinkificGroups(email: String, userID: Int?, groups: [String])
    /// `POST /enrollments` with `activated_at` (full access, not a free trial).
    case enroll(email: String, userID: Int?, courseSlug: String, courseID: Int, activatedAt: String, expiryDate: String?)
    /// `PUT /enrollments/{id}`: change dates (programme extended or shortened, or re-granting an expired enrollment).
    case updateEnrollment(
        email: String, enrollmentID: Int, courseSlug: String, activatedAt: String?, expiryDate: String?, previousExpiry: String?)
    /// `PUT /enrollments/{id}` with `expiry_date` = now: access ends, progress stays.
    case expireEnrollment(email: String, enrollmentID: Int, courseSlug: String, expiryDate: String)

    // MARK: - SCIM apps
    case createSCIMUser(app: String, userName: String, externalID: String?, givenName: String, familyName: String)
    /// Set the attributes named in `changed`, and only those, to the values given: `userName` and the primary email
    /// to `userName` after an email change, names, `active: true` to reactivate. `userName` is the person's email.
    case updateSCIMUser(
        app: String, userID: String, userName: String, externalID: String?, givenName: String, familyName: String, active: Bool,
        changed: [SCIMUserAttribute])
    case deactivateSCIMUser(app: String, userID: String, userName: String)
    case deleteSCIMUser(app: String, userID: String, userName: String)
    case createSCIMGroup(app: String, displayName: String)
    /// Add members; ids are nil for users or groups created by earlier changes (resolved at apply time by name).
    case addSCIMMember(app: String, group: String, groupID: String?, userName: String, userID: String?)
    case removeSCIMMember(app: String, group: String, groupID: String, userName: String, userID: String)
}

/// A SCIM user attribute stoicprov manages, as named in a saved plan's `changed` list.
public enum SCIMUserAttribute: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
    case userName = "user_name"
    /// The primary `emails` value (set to the person's email, which is also their `userName`).
    case email
    case givenName = "given_name"
    case familyName = "family_name"
    case externalID = "external_id"
    case active

    /// What a saved plan without a `changed` list meant: every attribute but the email.
    public static let legacy: [SCIMUserAttribute] = [.userName, .givenName, .familyName, .externalID, .active]

    /// The PATCH requests an update of `changed` takes: `userName` alone, the other attributes together, `active`
    /// alone (at least one).
    public static func patchRequests(_ changed: [SCIMUserAttribute]) -> Int {
        let others = changed.contains { $0 != .userName && $0 != .active }
        return max(1, (changed.contains(.userName) ? 1 : 0) + (others ? 1 : 0) + (changed.contains(.active) ? 1 : 0))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
