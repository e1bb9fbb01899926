import Foundation

/// The saved-plan form of an action: one flat JSON object with a `"type"` discriminator and snake_case fields,
/// absent optionals written as `null`. Documented in `docs/plan-format.md`; changing it needs a format version bump.
extension Action {
    /// The `"type"` discriminator of each case, as written in plan JSON.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case createOrganization = "create_organization"
        case updateOrganization = "update_organization"
        case createThinkificUser = "create_thinkific_user"
        case updateThinkificUser = "update_thinkific_user"
        case recordThinkificSignIn = "record_thinkific_sign_in"
        case createThinkificGroup = "create_thinkific_group"
        case addToThinkificGroups = "add_to_thinkific_groups"
        case enroll = "enroll"
        case updateEnrollment = "update_enrollment"
        case expireEnrollment = "expire_enrollment"
        case createSCIMUser = "create_scim_user"
        case updateSCIMUser = "update_scim_user"
        case deactivateSCIMUser = "deactivate_scim_user"
        case deleteSCIMUser = "delete_scim_user"
        case createSCIMGroup = "create_scim_group"
        case addSCIMMember = "add_scim_member"
        case removeSCIMMember = "remove_scim_member"
    }

    /// The discriminator of this action.
    public var kind: Kind {
        switch self {
        case .createOrganization: .createOrganization
        case .updateOrganization: .updateOrganization
        case .createThinkificUser: .createThinkificUser
        case .updateThinkificUser: .updateThinkificUser
        case .recordThinkificSignIn: .recordThinkificSignIn
        case .createThinkificGroup: .createThinkificGroup
        case .addToThinkificGroups: .addToThinkificGroups
        case .enroll: .enroll
        case .updateEnrollment: .updateEnrollment
        case .expireEnrollment: .expireEnrollment
        case .createSCIMUser: .createSCIMUser
        case .updateSCIMUser: .updateSCIMUser
        case .deactivateSCIMUser: .deactivateSCIMUser
        case .deleteSCIMUser: .deleteSCIMUser
        case .createSCIMGroup: .createSCIMGroup
        case .addSCIMMember: .addSCIMMember
        case .removeSCIMMember: .removeSCIMMember
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case externalID = "external_id"
        case id
        case name
        case domains
        case email
        case firstName = "first_name"
        case lastName = "last_name"
        case userID = "user_id"
        case groups
        case marker
        case courseSlug = "course_slug"
        case courseID = "course_id"
        case activatedAt = "activated_at"
        case expiryDate = "expiry_date"
        case enrollmentID = "enrollment_id"
        case previousExpiry = "previous_expiry"
        case app
        case userName = "user_name"
        case givenName = "given_name"
        case familyName = "family_name"
        case active
        case displayName = "display_name"
        case group
        case groupID = "group_id"
        case changed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let typeName = try c.decode(String.self, forKey: .type)
        guard let kind = Kind(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown action type '\(typeName)'")
        }
        self = try Self.decodeWorkOSOrThinkific(kind, from: c) ?? Self.decodeSCIM(kind, from: c)
    }

    /// An organization or Thinkific action of `kind` from its fields; `nil` for the other kinds.
    private static func decodeWorkOSOrThinkific(
        _ kind: Kind, from c: KeyedDecodingContainer<CodingKeys>
    ) throws -> Action? {
        func string(_ key: CodingKeys) throws -> String { try c.decode(String.self, forKey: key) }
        func optionalString(_ key: CodingKeys) throws -> String? { try c.decodeIfPresent(String.self, forKey: key) }
        func int(_ key: CodingKeys) throws -> Int { try c.decode(Int.self, forKey: key) }
        switch kind {
        case .createOrganization:
            return .createOrganization(
                externalID: try string(.externalID), name: try string(.name),
                domains: try c.decode([String].self, forKey: .domains))
        case .updateOrganization:
            return .updateOrganization(
                id: try string(.id), name: try string(.name), domains: try c.decode([String].self, forKey: .domains))
        case .createThinkificUser:
            return .createThinkificUser(
                email: try string(.email), firstName: try string(.firstName), lastName: try string(.lastName))
        case .updateThinkificUser:
            return .updateThinkificUser(
                userID: try int(.userID), email: try string(.email), firstName: try string(.firstName),
                lastName: try string(.lastName))
        case .recordThinkificSignIn:
            return .recordThinkificSignIn(
                email: try string(.email), userID: try c.decodeIfPresent(Int.self, forKey: .userID), marker: try string(.marker))
        case .createThinkificGroup:
            return .createThinkificGroup(name: try string(.name))
        case .addToThinkificGroups:
            return .addToThinkificGroups(
                email: try string(.email), userID: try c.decodeIfPresent(Int.self, forKey: .userID),
                groups: try c.decode([String].self, forKey: .groups))
        case .enroll:
            return .enroll(
                email: try string(.email), userID: try c.decodeIfPresent(Int.self, forKey: .userID),
                courseSlug: try string(.courseSlug), courseID: try int(.courseID), activatedAt: try string(.activatedAt),
                expiryDate: try optionalString(.expiryDate))
        case .updateEnrollment:
            return .updateEnrollment(
                email: try string(.email), enrollmentID: try int(.enrollmentID), courseSlug: try string(.courseSlug),
                activatedAt: try optionalString(.activatedAt), expiryDate: try optionalString(.expiryDate),
                previousExpiry: try optionalString(.previousExpiry))
        case .expireEnrollment:
            return .expireEnrollment(
                email: try string(.email), enrollmentID: try int(.enrollmentID), courseSlug: try string(.courseSlug),
                expiryDate: try string(.expiryDate))
        default: return nil
        }
    }

    /// A SCIM action of `kind` from its fields (every kind not decoded above is one).
    private static func decodeSCIM(_ kind: Kind, from c: KeyedDecodingContainer<CodingKeys>) throws -> Action {
        func string(_ key: CodingKeys) throws -> String { try c.decode(String.self, forKey: key) }
        func optionalString(_ key: CodingKeys) throws -> String? { try c.decodeIfPresent(String.self, forKey: key) }
        switch kind {
        case .createSCIMUser:
            return .createSCIMUser(
                app: try string(.app), userName: try string(.userName), externalID: try optionalString(.externalID),
                givenName: try string(.givenName), familyName: try string(.familyName))
        case .updateSCIMUser:
            return .updateSCIMUser(
                app: try string(.app), userID: try string(.userID), userName: try string(.userName),
                externalID: try optionalString(.externalID), givenName: try string(.givenName),
                familyName: try string(.familyName), active: try c.decode(Bool.self, forKey: .active),
                changed: try c.decodeIfPresent([SCIMUserAttribute].self, forKey: .changed)?.sorted() ?? SCIMUserAttribute.legacy)
        case .deactivateSCIMUser:
            return .deactivateSCIMUser(app: try string(.app), userID: try string(.userID), userName: try string(.userName))
        case .deleteSCIMUser:
            return .deleteSCIMUser(app: try string(.app), userID: try string(.userID), userName: try string(.userName))
        case .createSCIMGroup:
            return .createSCIMGroup(app: try string(.app), displayName: try string(.displayName))
        case .addSCIMMember:
            return .addSCIMMember(
                app: try string(.app), group: try string(.group), groupID: try optionalString(.groupID),
                userName: try string(.userName), userID: try optionalString(.userID))
        case .removeSCIMMember:
            return .removeSCIMMember(
                app: try string(.app), group: try string(.group), groupID: try string(.groupID),
                userName: try string(.userName), userID: try string(.userID))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "action type '\(kind.rawValue)' has no decoder")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind.rawValue, forKey: .type)
        // Optionals are encoded with `encode`, not `encodeIfPresent`: every field of a type is always present.
        try encodeWorkOSAndThinkificFields(into: &c)
        try encodeSCIMFields(into: &c)
    }

    /// The fields of an organization or Thinkific action (nothing for the others).
    private func encodeWorkOSAndThinkificFields(into c: inout KeyedEncodingContainer<CodingKeys>) throws {
        switch self {
        case .createOrganization(let externalID, let name, let domains):
            try c.encode(externalID, forKey: .externalID)
            try c.encode(name, forKey: .name)
            try c.encode(domains, forKey: .domains)
        case .updateOrganization(let id, let name, let domains):
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(domains, forKey: .domains)
        case .createThinkificUser(let email, let firstName, let lastName):
            try c.encode(email, forKey: .email)
            try c.encode(firstName, forKey: .firstName)
            try c.encode(lastName, forKey: .lastName)
        case .updateThinkificUser(let userID, let email, let firstName, let lastName):
            try c.encode(userID, forKey: .userID)
            try c.encode(email, forKey: .email)
            try c.encode(firstName, forKey: .firstName)
            try c.encode(lastName, forKey: .lastName)
        case .recordThinkificSignIn(let email, let userID, let marker):
            try c.encode(email, forKey: .email)
            try c.encode(userID, forKey: .userID)
            try c.encode(marker, forKey: .marker)
        case .createThinkificGroup(let name):
            try c.encode(name, forKey: .name)
        case .addToThinkificGroups(let email, let userID, let groups):
            try c.encode(email, forKey: .email)
            try c.encode(userID, forKey: .userID)
            try c.encode(groups, forKey: .groups)
        case .enroll(let email, let userID, let courseSlug, let courseID, let activatedAt, let expiryDate):
            try c.encode(email, forKey: .email)
            try c.encode(userID, forKey: .userID)
            try c.encode(courseSlug, forKey: .courseSlug)
            try c.encode(courseID, forKey: .courseID)
            try c.encode(activatedAt, forKey: .activatedAt)
            try c.encode(expiryDate, forKey: .expiryDate)
        case .updateEnrollment(let email, let enrollmentID, let courseSlug, let activatedAt, let expiryDate, let previousExpiry):
            try c.encode(email, forKey: .email)
            try c.encode(enrollmentID, forKey: .enrollmentID)
            try c.encode(courseSlug, forKey: .courseSlug)
            try c.encode(activatedAt, forKey: .activatedAt)
            try c.encode(expiryDate, forKey: .expiryDate)
            try c.encode(previousExpiry, forKey: .previousExpiry)
        case .expireEnrollment(let email, let enrollmentID, let courseSlug, let expiryDate):
            try c.encode(email, forKey: .email)
            try c.encode(enrollmentID, forKey: .enrollmentID)
            try c.encode(courseSlug, forKey: .courseSlug)
            try c.encode(expiryDate, forKey: .expiryDate)
        default: break
        }
    }

    /// The fields of a SCIM action (nothing for the others).
    private func encodeSCIMFields(into c: inout KeyedEncodingContainer<CodingKeys>) throws {
        switch self {
        case .createSCIMUser(let app, let userName, let externalID, let givenName, let familyName):
            try c.encode(app, forKey: .app)
            try c.encode(userName, forKey: .userName)
            try c.encode(externalID, forKey: .externalID)
            try c.encode(givenName, forKey: .givenName)
            try c.encode(familyName, forKey: .familyName)
        case .updateSCIMUser(
            let app, let userID, let userName, let externalID, let givenName, let familyName, let active, let changed):
            try c.encode(app, forKey: .app)
            try c.encode(userID, forKey: .userID)
            try c.encode(userName, forKey: .userName)
            try c.encode(externalID, forKey: .externalID)
            try c.encode(givenName, forKey: .givenName)
            try c.encode(familyName, forKey: .familyName)
            try c.encode(active, forKey: .active)
            try c.encode(changed, forKey: .changed)
        case .deactivateSCIMUser(let app, let userID, let userName), .deleteSCIMUser(let app, let userID, let userName):
            try c.encode(app, forKey: .app)
            try c.encode(userID, forKey: .userID)
            try c.encode(userName, forKey: .userName)
        case .createSCIMGroup(let app, let displayName):
            try c.encode(app, forKey: .app)
            try c.encode(displayName, forKey: .displayName)
        case .addSCIMMember(let app, let group, let groupID, let userName, let userID):
            try c.encode(app, forKey: .app)
            try c.encode(group, forKey: .group)
            try c.encode(groupID, forKey: .groupID)
            try c.encode(userName, forKey: .userName)
            try c.encode(userID, forKey: .userID)
        case .removeSCIMMember(let app, let group, let groupID, let userName, let userID):
            try c.encode(app, forKey: .app)
            try c.encode(group, forKey: .group)
            try c.encode(groupID, forKey: .groupID)
            try c.encode(userName, forKey: .userName)
            try c.encode(userID, forKey: .userID)
        default: break
        }
    }
}
