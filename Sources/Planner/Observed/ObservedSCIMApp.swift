/// What a plan read from one SCIM app for one tenant: the tenant's users (userName in its domains) and the groups
/// its rules name (absent groups are simply missing).
public struct ObservedSCIMApp: Sendable, Hashable, Codable {
    /// The connection name (`insights`, `dashboard`).
    public var app: String
    /// By ascending `userName` (lowercased compare).
    public var users: [SCIMUser]
    /// By ascending `displayName`.
    public var groups: [SCIMGroup]

    public init(app: String, users: [SCIMUser] = [], groups: [SCIMGroup] = []) {
        self.app = app
        self.users = users
        self.groups = groups
    }
}

public struct SCIMUser: Sendable, Hashable, Codable {
    public var id: String
    public var userName: String
    public var externalID: String?
    public var active: Bool
    public var givenName: String?
    public var familyName: String?
    /// The primary (or first) email, when the resource has any.
    public var email: String?

    public init(
        id: String, userName: String, externalID: String? = nil, active: Bool = true, givenName: String? = nil,
        familyName: String? = nil, email: String? = nil
    ) {
        self.id = id
        self.userName = userName
        self.externalID = externalID
        self.active = active
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
    }
}

public struct SCIMGroup: Sendable, Hashable, Codable {
    public var id: String
    public var displayName: String
    /// Member user ids, sorted.
    public var memberIDs: [String]

    public init(id: String, displayName: String, memberIDs: [String]) {
        self.id = id
        self.displayName = displayName
        self.memberIDs = memberIDs
    }
}
