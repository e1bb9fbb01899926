import Spec

/// An account a SCIM app had before stoicprov arrived (docs/sandbox.md, SCIM seed): people provisioned by hand or
/// by another client, with or without an `externalId`, possibly in groups.
public struct SeedUser: Sendable, Equatable {
    public var userName: String
    public var externalID: String?
    public var active: Bool
    public var givenName: String
    public var familyName: String
    /// Display names of the groups the user is a member of (created when the seed names them first).
    public var groups: [String]

    public init(
        userName: String, externalID: String? = nil, active: Bool = true, givenName: String = "Pre",
        familyName: String = "Existing",
        groups: [String] = []
    ) {
        self.userName = userName
        self.externalID = externalID
        self.active = active
        self.givenName = givenName
        self.familyName = familyName
        self.groups = groups
    }
}

extension SCIMSurface {
    /// The most users `generate:` makes per app.
    static let maxGeneratedUsers = 100_000

    /// `users: [{userName, externalId?, active?, givenName?, familyName?, groups?}]` and
    /// `generate: {count, domain, groups?}` (`person0001@domain` …) of one app entry.
    static func seedUsers(_ item: Node) throws(SandboxError) -> [SeedUser] {
        var users: [SeedUser] = []
        if let list = item["users"] {
            guard let entries = list.items else { throw .seed(.scimSeedExpected("a list of users", at: list)) }
            for entry in entries { users.append(try seedUser(entry)) }
        }
        if let generate = item["generate"] { users += try generatedUsers(generate) }
        var seen: Set<String> = []
        for user in users where !seen.insert(user.userName.lowercased()).inserted {
            throw .seed(.scimSeedExpected("unique userNames ('\(user.userName)' is seeded twice)", at: item))
        }
        return users
    }

    private static func seedUser(_ entry: Node) throws(SandboxError) -> SeedUser {
        let keys = ["userName", "externalId", "active", "givenName", "familyName", "groups"]
        guard let pairs = entry.pairs else { throw .seed(.scimSeedExpected("a user mapping {userName, …}", at: entry)) }
        for pair in pairs where !keys.contains(pair.key.string ?? "") {
            throw .seed(.scimSeedUnknownKey(pair.key.string ?? "?", at: pair.key))
        }
        guard let userName = entry["userName"]?.string, !userName.isEmpty else {
            throw .seed(.scimSeedExpected("a 'userName'", at: entry["userName"] ?? entry))
        }
        var user = SeedUser(userName: userName, externalID: entry["externalId"]?.string)
        if let active = entry["active"] {
            guard let flag = active.bool else { throw .seed(.scimSeedExpected("true or false", at: active)) }
            user.active = flag
        }
        user.givenName = entry["givenName"]?.string ?? user.givenName
        user.familyName = entry["familyName"]?.string ?? user.familyName
        user.groups = try groupNames(entry["groups"])
        return user
    }

    private static func generatedUsers(_ node: Node) throws(SandboxError) -> [SeedUser] {
        guard let pairs = node.pairs else { throw .seed(.scimSeedExpected("a mapping {count, domain, groups?}", at: node)) }
        for pair in pairs where !["count", "domain", "groups"].contains(pair.key.string ?? "") {
            throw .seed(.scimSeedUnknownKey(pair.key.string ?? "?", at: pair.key))
        }
        guard let countNode = node["count"], let count = countNode.int, (0...maxGeneratedUsers).contains(count) else {
            throw .seed(.scimSeedExpected("a count from 0 to \(maxGeneratedUsers)", at: node["count"] ?? node))
        }
        guard let domain = node["domain"]?.string, !domain.isEmpty else {
            throw .seed(.scimSeedExpected("a 'domain'", at: node["domain"] ?? node))
        }
        let groups = try groupNames(node["groups"])
        let width = max(4, String(count).count)
        return (0..<count).map { index in
            let number = String(index + 1)
            let padded = String(repeating: "0", count: width - number.count) + number
            return SeedUser(userName: "person\(padded)@\(domain)", givenName: "Person", familyName: padded, groups: groups)
        }
    }

    private static func groupNames(_ node: Node?) throws(SandboxError) -> [String] {
        guard let node else { return [] }
        guard let items = node.items else { throw .seed(.scimSeedExpected("a list of group names", at: node)) }
        return try items.map { item throws(SandboxError) in
            guard let name = item.string, !name.isEmpty else { throw .seed(.scimSeedExpected("a group name", at: item)) }
            return name
        }
    }
}

extension SCIMStore {
    /// A store holding `users` (and the groups they name), as if each had been POSTed at `now`.
    static func seeded(_ users: [SeedUser], now: String) -> SCIMStore {
        var store = SCIMStore()
        guard !users.isEmpty else { return store }
        var members: [String: [SCIMJSON]] = [:]
        var groupOrder: [String] = []
        for user in users {
            var attributes: [String: SCIMJSON] = [
                "userName": .string(user.userName), "active": .bool(user.active),
                "name": .object(["givenName": .string(user.givenName), "familyName": .string(user.familyName)]),
                "emails": .array([
                    .object(["value": .string(user.userName), "type": .string("work"), "primary": .bool(true)])
                ]),
            ]
            if let externalID = user.externalID { attributes["externalId"] = .string(externalID) }
            // Seeds are checked for unique userNames, so a create cannot fail here.
            guard let id = (try? store.create(.user, attributes: attributes, now: now))?["id"] else { continue }
            for group in user.groups {
                if members[group] == nil { groupOrder.append(group) }
                members[group, default: []].append(.object(["value": id]))
            }
        }
        for group in groupOrder {
            let attributes: [String: SCIMJSON] = ["displayName": .string(group), "members": .array(members[group] ?? [])]
            _ = try? store.create(.group, attributes: attributes, now: now)
        }
        return store
    }
}
