import Foundation
import Planner

/// The read side of a SCIM 2.0 service provider (RFC 7644; contracts/scim.md): users and groups by filter, paged
/// with `startIndex`/`count` to the end. Servers cap `count` (scim2-server at 1,000), so paging advances by what
/// each page actually returned, and stops at `totalResults` or an empty page.
public struct SCIMClient: Sendable {
    /// The largest page asked for; servers may return fewer.
    public static let maxPageSize = 1000
    public static let mediaType = "application/scim+json"

    public let channel: HTTPChannel
    public let pageSize: Int
    /// Bounds on every listing read through this client.
    public let limits: ListingLimits

    public init(channel: HTTPChannel, pageSize: Int = maxPageSize, limits: ListingLimits = .standard) {
        self.channel = channel
        self.pageSize = max(1, pageSize)
        self.limits = limits
    }

    /// A connection authenticated with `Authorization: Bearer <token>`, accepting `application/scim+json`.
    public static func channel(
        app: String, baseURL: String, token: Secret, policy: ChannelPolicy = .scim(), transport: any HTTPTransport,
        environment: ChannelEnvironment = .live
    ) -> HTTPChannel {
        HTTPChannel(
            name: app, baseURL: baseURL, secretHeaders: [("Authorization", "Bearer ", token)],
            plainHeaders: [("Accept", "\(mediaType), application/json")], policy: policy, transport: transport,
            environment: environment)
    }

    // MARK: - Users

    /// Users matching a filter (`nil`: every user).
    public func users(filter: String?) async throws(LiveError) -> [SCIMUser] {
        try await listAll(WireSCIMUser.self, "/Users", filter: filter).map(\.user)
    }

    public func allUsers() async throws(LiveError) -> [SCIMUser] {
        try await users(filter: nil)
    }

    /// The user with this `userName` (SCIM compares userName case-insensitively), if any.
    public func user(userName: String) async throws(LiveError) -> SCIMUser? {
        try await users(filter: "userName eq \(Self.quote(userName))").first
    }

    // MARK: - Groups

    public func groups(filter: String?) async throws(LiveError) -> [SCIMGroup] {
        try await listAll(WireSCIMGroup.self, "/Groups", filter: filter).map(\.group)
    }

    /// The group with exactly this `displayName`, members included.
    public func group(displayName: String) async throws(LiveError) -> SCIMGroup? {
        try await groups(filter: "displayName eq \(Self.quote(displayName))").first { $0.displayName == displayName }
    }

    /// A group's member ids, read from the group resource.
    public func groupMembers(groupID: String) async throws(LiveError) -> [String] {
        try await channel.getJSON(WireSCIMGroup.self, "/Groups/" + HTTPChannel.pathSegment(groupID)).group.memberIDs
    }

    /// A SCIM filter string literal: quoted, with `\` and `"` escaped.
    public static func quote(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Paging

    /// Pages to the end, bounded by `limits` and by the pages `totalResults` announces at the server's page size;
    /// a page that brings only items already read (a server ignoring `startIndex`) fails the listing.
    func listAll<Wire: Decodable & Sendable & SCIMIdentified>(
        _ type: Wire.Type, _ path: String, filter: String?
    )
        async throws(LiveError) -> [Wire]
    {
        let budget = ListingBudget(limits, connection: channel.name, path: path)
        var items: [Wire] = []
        var seen: Set<String> = []
        var startIndex = 1
        while true {
            var query: [(name: String, value: String)] = []
            if let filter { query.append(("filter", filter)) }
            query += [("startIndex", String(startIndex)), ("count", String(pageSize))]
            let response = try await channel.send("GET", path, query: query)
            let page = try channel.decode(SCIMList<Wire>.self, response, method: "GET", path: path)
            try budget.admit(items: page.resources.count, bytes: response.body.count)
            let announced = ListingLimits.pages(items: page.totalResults, pageSize: max(1, page.resources.count))
            if let announced, announced > limits.maxPages {
                throw budget.failure("totalResults \(page.totalResults) need \(announced) pages (at most \(limits.maxPages))")
            }
            let before = items.count
            for item in page.resources where seen.insert(item.scimID).inserted {
                items.append(item)
            }
            guard !page.resources.isEmpty else { return items }
            guard items.count > before else {
                throw budget.failure("page at startIndex \(startIndex) repeats items already read")
            }
            let (advanced, overflow) = startIndex.addingReportingOverflow(page.resources.count)
            guard !overflow else { throw budget.failure("startIndex overflows") }
            guard advanced <= page.totalResults else { return items }
            guard budget.pages < limits.allowedPages(announced: announced) else {
                throw budget.failure("more pages than totalResults \(page.totalResults) announce")
            }
            startIndex = advanced
        }
    }
}

protocol SCIMIdentified {
    var scimID: String { get }
}

// MARK: - Wire shapes

struct SCIMList<Item: Decodable & Sendable>: Decodable, Sendable {
    var totalResults: Int
    var resources: [Item]

    enum CodingKeys: String, CodingKey {
        case totalResults, resources = "Resources"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        totalResults = try container.decodeInt(.totalResults)
        resources = try container.decodeIfPresent([Item].self, forKey: .resources) ?? []
    }
}

struct WireSCIMUser: Decodable, Sendable, SCIMIdentified {
    var user: SCIMUser
    var scimID: String { user.id }

    enum CodingKeys: String, CodingKey {
        case id, userName, externalId, active, name, emails
    }

    struct Name: Decodable {
        var givenName: String?
        var familyName: String?
    }

    struct Email: Decodable {
        var value: String?
        var primary: Bool?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try? container.decodeIfPresent(Name.self, forKey: .name)
        let emails = (try? container.decodeIfPresent([Email].self, forKey: .emails)) ?? []
        let active: Bool
        if let flag = try? container.decodeIfPresent(Bool.self, forKey: .active) {
            active = flag
        } else if let text = try? container.decodeIfPresent(String.self, forKey: .active) {
            active = text.lowercased() != "false"
        } else {
            active = true
        }
        user = SCIMUser(
            id: try container.decode(String.self, forKey: .id), userName: try container.decode(String.self, forKey: .userName),
            externalID: container.decodeText(.externalId), active: active, givenName: name?.givenName,
            familyName: name?.familyName, email: (emails.first { $0.primary == true } ?? emails.first)?.value)
    }
}

struct WireSCIMGroup: Decodable, Sendable, SCIMIdentified {
    var group: SCIMGroup
    var scimID: String { group.id }

    enum CodingKeys: String, CodingKey {
        case id, displayName, members
    }

    struct Member: Decodable {
        var value: String
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let members = try container.decodeIfPresent([Member].self, forKey: .members) ?? []
        group = SCIMGroup(
            id: try container.decode(String.self, forKey: .id),
            displayName: try container.decode(String.self, forKey: .displayName), memberIDs: members.map(\.value).sorted())
    }
}
