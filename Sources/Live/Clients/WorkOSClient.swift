import Foundation
import Planner

/// A directory user as WorkOS lists it. `groups` is `nil` when the response carried no `groups` field; an empty
/// array is ambiguous (deprecated field, empty by default on newer teams), so callers treat it as unknown too.
public struct DirectoryUserRecord: Sendable, Hashable {
    public var id: String
    public var idpID: String
    public var directoryID: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var state: String
    public var groups: [DirectoryGroupInfo]?
}

/// The read side of the WorkOS API (contracts/workos.md): organizations by external id, SSO connections,
/// directories, directory users and groups. Listings follow the `after` cursor at 100 items a page to the end.
public struct WorkOSClient: Sendable {
    public static let productionBaseURL = "https://api.workos.com"
    public static let pageSize = 100

    public let channel: HTTPChannel
    /// Bounds on every listing read through this client.
    public let limits: ListingLimits
    /// WorkOS's `GET /directory_users` limit, one per directory id, shared by every read of the directory through
    /// this client (and its copies).
    public let directoryLimits: PacedLimits

    public init(
        channel: HTTPChannel, limits: ListingLimits = .standard,
        directoryLimits: PacedLimits = PacedLimits { PacedLimit.workosDirectory() }
    ) {
        self.channel = channel
        self.limits = limits
        self.directoryLimits = directoryLimits
    }

    /// A connection authenticated with `Authorization: Bearer sk_…`.
    public static func channel(
        apiKey: Secret, baseURL: String = productionBaseURL, policy: ChannelPolicy = .workos(),
        transport: any HTTPTransport, environment: ChannelEnvironment = .live, name: String = "workos"
    ) -> HTTPChannel {
        HTTPChannel(
            name: name, baseURL: baseURL, secretHeaders: [("Authorization", "Bearer ", apiKey)],
            plainHeaders: [("Accept", "application/json")], policy: policy, transport: transport, environment: environment)
    }

    /// The organization whose `external_id` is this, or `nil` (a 404).
    public func organization(externalID: String) async throws(LiveError) -> WorkOSOrganization? {
        try await channel.getJSONIfPresent(
            WireOrganization.self, "/organizations/external_id/" + HTTPChannel.pathSegment(externalID))?.organization
    }

    public func connections(organizationID: String) async throws(LiveError) -> [SSOConnection] {
        try await listAll(WireConnection.self, "/connections", filter: [("organization_id", organizationID)]).map(\.connection)
    }

    public func directories(organizationID: String) async throws(LiveError) -> [WorkOSDirectory] {
        try await listAll(WireDirectory.self, "/directories", filter: [("organization_id", organizationID)]).map(\.directory)
    }

    /// Every user of a directory, paced by the directory's limit.
    public func directoryUsers(directoryID: String) async throws(LiveError) -> [DirectoryUserRecord] {
        try await listAll(
            WireDirectoryUser.self, "/directory_users", filter: [("directory", directoryID)],
            pacing: directoryLimits.limit(directoryID)
        ).map(\.user)
    }

    /// The users in one directory group: one listing gives a whole group's memberships. Paced by the limit of the
    /// group's directory; a group whose directory is not known shares one limit with every other such group.
    public func directoryUsers(groupID: String, directoryID: String? = nil) async throws(LiveError) -> [DirectoryUserRecord] {
        let key = directoryID.flatMap { $0.isEmpty ? nil : $0 } ?? ""
        return try await listAll(
            WireDirectoryUser.self, "/directory_users", filter: [("group", groupID)], pacing: directoryLimits.limit(key)
        ).map(\.user)
    }

    /// The users in `group`, paced by its directory's limit.
    public func directoryUsers(in group: DirectoryGroupInfo) async throws(LiveError) -> [DirectoryUserRecord] {
        try await directoryUsers(groupID: group.id, directoryID: group.directoryID)
    }

    public func directoryGroups(directoryID: String) async throws(LiveError) -> [DirectoryGroupInfo] {
        try await listAll(WireDirectoryGroup.self, "/directory_groups", filter: [("directory", directoryID)]).map(\.group)
    }

    /// The groups one directory user is in (one listing per user: use only when a per-group listing does not serve).
    public func directoryGroups(userID: String) async throws(LiveError) -> [DirectoryGroupInfo] {
        try await listAll(WireDirectoryGroup.self, "/directory_groups", filter: [("user", userID)]).map(\.group)
    }

    // MARK: - Paging

    /// Follows `list_metadata.after` until it is null or a page comes back empty. WorkOS announces no totals, so
    /// `limits` bound the pages, items and bytes; a cursor seen before, or longer than 1 KiB, fails the listing.
    func listAll<Wire: Decodable & Sendable>(
        _ type: Wire.Type, _ path: String, filter: [(name: String, value: String)], pacing: PacedLimit? = nil
    )
        async throws(LiveError) -> [Wire]
    {
        let budget = ListingBudget(limits, connection: channel.name, path: path)
        var items: [Wire] = []
        var after: String?
        var seen: Set<String> = []
        while true {
            var query = filter + [("limit", String(Self.pageSize))]
            if let after { query.append(("after", after)) }
            let response = try await channel.send("GET", path, query: query, pacing: pacing)
            let page = try channel.decode(WorkOSList<Wire>.self, response, method: "GET", path: path)
            try budget.admit(items: page.data.count, bytes: response.body.count)
            items += page.data
            guard let next = page.listMetadata?.after, !page.data.isEmpty else { return items }
            guard next.utf8.count <= 1024 else { throw budget.failure("an `after` cursor of \(next.utf8.count) bytes") }
            guard seen.insert(next).inserted else {
                throw .malformedResponse(method: "GET", path: path, reason: "the `after` cursor repeats (\(next))")
            }
            guard budget.pages < limits.maxPages else { throw budget.failure("more than \(limits.maxPages) pages") }
            after = next
        }
    }
}

// MARK: - Wire shapes

struct WorkOSList<Item: Decodable & Sendable>: Decodable, Sendable {
    var data: [Item]
    var listMetadata: Metadata?

    struct Metadata: Decodable, Sendable {
        var after: String?
    }

    enum CodingKeys: String, CodingKey {
        case data, listMetadata = "list_metadata"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = try container.decodeIfPresent([Item].self, forKey: .data) ?? []
        listMetadata = try container.decodeIfPresent(Metadata.self, forKey: .listMetadata)
    }
}

struct WireOrganization: Decodable, Sendable {
    var organization: WorkOSOrganization

    enum CodingKeys: String, CodingKey {
        case id, name, externalID = "external_id", domains
    }

    struct Domain: Decodable {
        var domain: String
        var state: String?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let domains = try container.decodeIfPresent([Domain].self, forKey: .domains) ?? []
        organization = WorkOSOrganization(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            externalID: container.decodeText(.externalID),
            domains: domains.map { WorkOSDomain(domain: $0.domain, state: $0.state) })
    }
}

struct WireConnection: Decodable, Sendable {
    var connection: SSOConnection

    enum CodingKeys: String, CodingKey {
        case id, name, connectionType = "connection_type", state
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        connection = SSOConnection(
            id: try container.decode(String.self, forKey: .id), name: container.decodeText(.name) ?? "",
            connectionType: try container.decode(String.self, forKey: .connectionType),
            state: try container.decode(String.self, forKey: .state))
    }
}

struct WireDirectory: Decodable, Sendable {
    var directory: WorkOSDirectory

    enum CodingKeys: String, CodingKey {
        case id, name, type, state
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        directory = WorkOSDirectory(
            id: try container.decode(String.self, forKey: .id), name: container.decodeText(.name) ?? "",
            type: try container.decode(String.self, forKey: .type), state: try container.decode(String.self, forKey: .state))
    }
}

struct WireDirectoryGroup: Decodable, Sendable {
    var group: DirectoryGroupInfo

    enum CodingKeys: String, CodingKey {
        case id, name, directoryID = "directory_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        group = DirectoryGroupInfo(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            directoryID: container.decodeText(.directoryID) ?? "")
    }
}

struct WireDirectoryUser: Decodable, Sendable {
    var user: DirectoryUserRecord

    enum CodingKeys: String, CodingKey {
        case id, idpID = "idp_id", directoryID = "directory_id", email, firstName = "first_name", lastName = "last_name"
        case state, groups
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let groups = try container.decodeIfPresent([WireDirectoryGroup].self, forKey: .groups)
        user = DirectoryUserRecord(
            id: try container.decode(String.self, forKey: .id), idpID: try container.decode(String.self, forKey: .idpID),
            directoryID: container.decodeText(.directoryID) ?? "", email: container.decodeText(.email),
            firstName: container.decodeText(.firstName), lastName: container.decodeText(.lastName),
            state: try container.decode(String.self, forKey: .state), groups: groups?.map(\.group))
    }
}
