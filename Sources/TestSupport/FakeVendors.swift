import Foundation
import Live

/// Small in-memory stand-ins for the three APIs, answering `RecordedTransport` requests the way the contracts say
/// (paths, query parameters, pagination envelopes). Enough for unit tests; end-to-end tests use the real sandbox.
public enum Fake {
    public static func json(_ object: Any, status: Int = 200) -> RecordedTransport.Reply {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .response(TransportResponse(status: status, headers: [("Content-Type", "application/json")], body: data))
    }

    public static func path(_ request: TransportRequest, under prefix: String) -> String {
        let path = request.url.path
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// A Thinkific site under `https://thinkific.test/v1`.
public struct FakeThinkific: Sendable {
    public static let base = "https://thinkific.test/v1"

    public struct User: Sendable {
        public var id: Int
        public var email: String
        public var groups: [Int] = []

        public init(id: Int, email: String, groups: [Int] = []) {
            self.id = id
            self.email = email
            self.groups = groups
        }
    }

    public var users: [User] = []
    public var courses: [(id: Int, slug: String)] = []
    public var groups: [(id: Int, name: String)] = []
    public var enrollments: [(id: Int, userID: Int, courseID: Int)] = []
    /// `query[email]` matches by substring, like a search (the contract leaves exact-vs-partial open).
    public var emailSearchIsPartial = true

    public init(
        users: [User] = [], courses: [(id: Int, slug: String)] = [], groups: [(id: Int, name: String)] = [],
        enrollments: [(id: Int, userID: Int, courseID: Int)] = [], emailSearchIsPartial: Bool = true
    ) {
        self.users = users
        self.courses = courses
        self.groups = groups
        self.enrollments = enrollments
        self.emailSearchIsPartial = emailSearchIsPartial
    }

    public func handle(_ request: TransportRequest) -> RecordedTransport.Reply {
        let path = Fake.path(request, under: "/v1")
        let page = Int(request.query("page") ?? "1") ?? 1
        let limit = Int(request.query("limit") ?? "25") ?? 25
        switch path {
        case "/users":
            var found = users
            if let email = request.query("query[email]") {
                found = found.filter {
                    emailSearchIsPartial ? $0.email.lowercased().contains(email.lowercased()) : $0.email == email
                }
            }
            if let group = request.query("query[group_id]").flatMap(Int.init) {
                found = found.filter { $0.groups.contains(group) }
            }
            return paged(found.map(userJSON), page: page, limit: limit)
        case "/courses":
            return paged(courses.map { ["id": $0.id, "name": $0.slug.uppercased(), "slug": $0.slug] }, page: page, limit: limit)
        case "/groups":
            return paged(groups.map { ["id": $0.id, "name": $0.name] }, page: page, limit: limit)
        case "/enrollments":
            var found = enrollments
            if let course = request.query("query[course_id]").flatMap(Int.init) { found = found.filter { $0.courseID == course } }
            if let user = request.query("query[user_id]").flatMap(Int.init) { found = found.filter { $0.userID == user } }
            return paged(
                found.map { enrollment in
                    [
                        "id": enrollment.id, "user_id": enrollment.userID, "course_id": enrollment.courseID,
                        "user_email": users.first { $0.id == enrollment.userID }?.email ?? "", "expired": false,
                        "completed": false, "is_free_trial": false, "activated_at": "2026-05-04T00:00:00.000Z",
                        "expiry_date": NSNull(),
                    ] as [String: Any]
                }, page: page, limit: limit)
        default:
            return Fake.json(["error": "Record not found."], status: 404)
        }
    }

    private func userJSON(_ user: User) -> [String: Any] {
        ["id": user.id, "email": user.email, "first_name": "F\(user.id)", "last_name": NSNull(), "roles": []]
    }

    private func paged(_ items: [[String: Any]], page: Int, limit: Int) -> RecordedTransport.Reply {
        let totalPages = max(1, (items.count + limit - 1) / limit)
        let slice = Array(items.dropFirst((page - 1) * limit).prefix(limit))
        let pagination: [String: Any] = [
            "current_page": page, "next_page": page < totalPages ? page + 1 : NSNull(),
            "prev_page": page > 1 ? page - 1 : NSNull(), "total_pages": totalPages, "total_items": items.count,
        ]
        return Fake.json(["items": slice, "meta": ["pagination": pagination]])
    }
}

/// WorkOS under `https://workos.test`.
public struct FakeWorkOS: Sendable {
    public static let base = "https://workos.test"

    public struct Person: Sendable {
        public var id: String
        public var email: String
        public var state = "active"
        public var groups: [String]

        public init(id: String, email: String, state: String = "active", groups: [String]) {
            self.id = id
            self.email = email
            self.state = state
            self.groups = groups
        }
    }

    public var externalID = "pg"
    public var groupNames: [String] = []
    public var people: [Person] = []

    public init(externalID: String = "pg", groupNames: [String] = [], people: [Person] = []) {
        self.externalID = externalID
        self.groupNames = groupNames
        self.people = people
    }

    public func handle(_ request: TransportRequest) -> RecordedTransport.Reply {
        let path = request.url.path
        let limit = Int(request.query("limit") ?? "10") ?? 10
        let after = request.query("after")
        switch path {
        case "/organizations/external_id/\(externalID)":
            return Fake.json([
                "object": "organization", "id": "org_1", "name": "P&G", "external_id": externalID,
                "domains": [["object": "organization_domain", "id": "d1", "domain": "pg.com", "state": "verified"]],
            ])
        case _ where path.hasPrefix("/organizations/external_id/"):
            return Fake.json(["message": "Organization not found"], status: 404)
        case "/connections":
            return list(
                [["id": "conn_1", "name": "Ping", "connection_type": "PingFederateSAML", "state": "active"]], limit, after)
        case "/directories":
            return list([["id": "directory_1", "name": "SCIM", "type": "generic scim v2.0", "state": "linked"]], limit, after)
        case "/directory_groups":
            return list(
                groupNames.map { ["id": groupID($0), "name": $0, "directory_id": "directory_1", "idp_id": $0] }, limit, after)
        case "/directory_users":
            var found = people
            if let group = request.query("group") { found = found.filter { $0.groups.map(groupID).contains(group) } }
            return list(
                found.map { person in
                    [
                        "id": person.id, "idp_id": "idp-" + person.id, "directory_id": "directory_1", "email": person.email,
                        "first_name": "F", "last_name": "L", "state": person.state,
                    ]
                }, limit, after)
        default:
            return Fake.json(["message": "Not found"], status: 404)
        }
    }

    public func groupID(_ name: String) -> String { "directory_group_" + name.replacingOccurrences(of: " ", with: "_") }

    private func list(_ items: [[String: Any]], _ limit: Int, _ after: String?) -> RecordedTransport.Reply {
        let start = after.flatMap { cursor in items.firstIndex { ($0["id"] as? String) == cursor }.map { $0 + 1 } } ?? 0
        let slice = Array(items.dropFirst(start).prefix(limit))
        let more = start + slice.count < items.count
        return Fake.json([
            "object": "list", "data": slice,
            "list_metadata": ["before": NSNull(), "after": more ? (slice.last?["id"] ?? NSNull()) : NSNull()],
        ])
    }
}

/// A SCIM service provider under `https://scim.test/v2` that caps pages at `cap` items, like scim2-server at 1,000.
public struct FakeSCIM: Sendable {
    public static let base = "https://scim.test/v2"

    public var userNames: [String] = []
    public var groups: [(name: String, members: [String])] = []
    public var cap = 1000
    public var supportsEndsWith = true

    public init(
        userNames: [String] = [], groups: [(name: String, members: [String])] = [], cap: Int = 1000,
        supportsEndsWith: Bool = true
    ) {
        self.userNames = userNames
        self.groups = groups
        self.cap = cap
        self.supportsEndsWith = supportsEndsWith
    }

    public func handle(_ request: TransportRequest) -> RecordedTransport.Reply {
        let path = Fake.path(request, under: "/v2")
        let startIndex = Int(request.query("startIndex") ?? "1") ?? 1
        let count = min(cap, Int(request.query("count") ?? String(cap)) ?? cap)
        let filter = request.query("filter")
        switch path {
        case "/Users":
            var names = userNames
            if let filter {
                if let value = Self.operand(filter, "userName eq ") {
                    names = names.filter { $0.lowercased() == value.lowercased() }
                } else if let value = Self.operand(filter, "userName ew ") {
                    guard supportsEndsWith else { return Fake.json(["status": "400", "scimType": "invalidFilter"], status: 400) }
                    names = names.filter { $0.lowercased().hasSuffix(value.lowercased()) }
                }
            }
            let resources: [[String: Any]] = names.map { name in
                ["id": "u-" + name, "userName": name, "active": true, "emails": [["value": name, "primary": true]]]
            }
            return page(resources, startIndex: startIndex, count: count)
        case "/Groups":
            var found = groups
            if let filter, let value = Self.operand(filter, "displayName eq ") { found = found.filter { $0.name == value } }
            let resources: [[String: Any]] = found.map { group in
                ["id": "g-" + group.name, "displayName": group.name, "members": group.members.map { ["value": "u-" + $0] }]
            }
            return page(resources, startIndex: startIndex, count: count)
        default:
            return Fake.json(["status": "404"], status: 404)
        }
    }

    private static func operand(_ filter: String, _ prefix: String) -> String? {
        guard filter.hasPrefix(prefix) else { return nil }
        return String(filter.dropFirst(prefix.count).dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
    }

    private func page(_ resources: [[String: Any]], startIndex: Int, count: Int) -> RecordedTransport.Reply {
        let slice = Array(resources.dropFirst(max(0, startIndex - 1)).prefix(count))
        return .response(
            TransportResponse(
                status: 200, headers: [("Content-Type", "application/scim+json")],
                body: try! JSONSerialization.data(withJSONObject: [
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": resources.count,
                    "startIndex": startIndex, "itemsPerPage": slice.count, "Resources": slice,
                ])))
    }
}
