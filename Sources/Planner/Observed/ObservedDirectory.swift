/// What a plan read from WorkOS for one tenant: its organization, SSO connections, directories, and the people in
/// the tenant's mapped IdP groups.
///
/// `readSucceeded == false` means the directory could not be read completely: the planner must treat that as an
/// error, never as "everyone left". `users` is then whatever was read before the failure and must not be trusted.
public struct ObservedDirectory: Sendable, Hashable, Codable {
    /// The organization whose `external_id` is the tenant id; `nil` when none exists yet.
    public var organization: WorkOSOrganization?
    public var connections: [SSOConnection]
    public var directories: [WorkOSDirectory]
    /// Every group of the organization's directories (so the planner can report a mapped group that does not exist).
    public var groups: [DirectoryGroupInfo]
    /// People in at least one mapped group, by ascending `idpID`; `groups` lists their mapped groups only.
    public var users: [DirectoryPerson]
    public var readSucceeded: Bool
    /// Why the read failed, when it did (no secrets).
    public var failure: String?

    public init(
        organization: WorkOSOrganization?, connections: [SSOConnection] = [], directories: [WorkOSDirectory] = [],
        groups: [DirectoryGroupInfo] = [], users: [DirectoryPerson] = [], readSucceeded: Bool = true, failure: String? = nil
    ) {
        self.organization = organization
        self.connections = connections
        self.directories = directories
        self.groups = groups
        self.users = users
        self.readSucceeded = readSucceeded
        self.failure = failure
    }
}

public struct WorkOSOrganization: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var externalID: String?
    /// Domain names with their verification state (`verified`, `pending`, …; `nil` when not reported).
    public var domains: [WorkOSDomain]

    public init(id: String, name: String, externalID: String?, domains: [WorkOSDomain]) {
        self.id = id
        self.name = name
        self.externalID = externalID
        self.domains = domains
    }
}

public struct WorkOSDomain: Sendable, Hashable, Codable {
    public var domain: String
    public var state: String?

    public init(domain: String, state: String?) {
        self.domain = domain
        self.state = state
    }
}

/// A WorkOS SSO connection (`connectionType` such as `PingFederateSAML`, `state` such as `active`). Named apart from
/// the workspace's connection settings (`Spec.WorkOSConnection`) and the HTTP client core (`Live.Connection`).
public struct SSOConnection: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var connectionType: String
    public var state: String

    public init(id: String, name: String, connectionType: String, state: String) {
        self.id = id
        self.name = name
        self.connectionType = connectionType
        self.state = state
    }
}

/// A Directory Sync directory (`type` such as `okta scim v2.0`, `state` such as `linked`).
public struct WorkOSDirectory: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var type: String
    public var state: String

    public init(id: String, name: String, type: String, state: String) {
        self.id = id
        self.name = name
        self.type = type
        self.state = state
    }
}

public struct DirectoryGroupInfo: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var directoryID: String

    public init(id: String, name: String, directoryID: String) {
        self.id = id
        self.name = name
        self.directoryID = directoryID
    }
}

/// One person of the directory. `idpID` is stable across email changes; `state` is `active`, `inactive` or
/// `suspended`; `groups` are the names of the mapped groups they are in, sorted.
public struct DirectoryPerson: Sendable, Hashable, Codable {
    public var id: String
    public var idpID: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var state: String
    public var groups: [String]

    public init(
        id: String, idpID: String, email: String?, firstName: String?, lastName: String?, state: String, groups: [String]
    ) {
        self.id = id
        self.idpID = idpID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.state = state
        self.groups = groups
    }

    public var isActive: Bool { state == "active" }
}
