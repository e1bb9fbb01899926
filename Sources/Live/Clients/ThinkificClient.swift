import Foundation
import Planner

/// One page of a Thinkific listing with what its `meta.pagination` revealed.
public struct ThinkificPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var currentPage: Int
    public var nextPage: Int?
    public var totalPages: Int?
    public var totalItems: Int?
    /// The size of the answer's body, counted against the listing's byte limit.
    var bodyBytes = 0
}

/// The read side of the Thinkific Admin API v1 (contracts/thinkific.md). Every listing is paged to the end at
/// 250 items a page; once the first page reveals `total_pages`, the rest are fetched concurrently (the connection
/// bounds concurrency and paces the rate).
public struct ThinkificClient: Sendable {
    public static let productionBaseURL = "https://api.thinkific.com/api/public/v1"
    public static let pageSize = 250

    public let channel: HTTPChannel
    /// Bounds on every listing read through this client.
    public let limits: ListingLimits

    public init(channel: HTTPChannel, limits: ListingLimits = .standard) {
        self.channel = channel
        self.limits = limits
    }

    /// A connection authenticated with an API key and the site's subdomain (both headers on every request).
    public static func channel(
        subdomain: String, apiKey: Secret, baseURL: String = productionBaseURL, policy: ChannelPolicy = .thinkific(),
        transport: any HTTPTransport, environment: ChannelEnvironment = .live, name: String = "thinkific"
    ) -> HTTPChannel {
        HTTPChannel(
            name: name, baseURL: baseURL, secretHeaders: [("X-Auth-API-Key", "", apiKey)],
            plainHeaders: [("X-Auth-Subdomain", subdomain), ("Accept", "application/json")], policy: policy,
            transport: transport, environment: environment)
    }

    // MARK: - Users

    /// One page of `GET /users`, optionally filtered (`query[email]`, `query[group_id]`).
    public func usersPage(
        page: Int, filter: [(name: String, value: String)] = []
    ) async throws(LiveError)
        -> ThinkificPage<ThinkificUser>
    {
        try await self.page(WireUser.self, "/users", page: page, filter: filter).map { $0.user }
    }

    /// Every user of the site; pass the first page when already fetched.
    public func allUsers(firstPage: ThinkificPage<ThinkificUser>? = nil) async throws(LiveError) -> [ThinkificUser] {
        try await listAll(WireUser.self, "/users", first: firstPage.map { page in page.map { WireUser(user: $0) } }).map(\.user)
    }

    /// The user with exactly this email (compared case-insensitively), if any.
    public func user(email: String) async throws(LiveError) -> ThinkificUser? {
        let page = try await page(WireUser.self, "/users", page: 1, filter: [("query[email]", email)])
        let exact = page.items.first { $0.user.email.caseInsensitiveCompare(email) == .orderedSame }
        if exact != nil || page.nextPage == nil { return exact?.user }
        // A partial-match server with many hits: read on until the exact one shows up.
        let all = try await listAll(WireUser.self, "/users", filter: [("query[email]", email)], first: page)
        return all.first { $0.user.email.caseInsensitiveCompare(email) == .orderedSame }?.user
    }

    /// Members of a group (`GET /users?query[group_id]=`).
    public func users(inGroup groupID: Int) async throws(LiveError) -> [ThinkificUser] {
        try await listAll(WireUser.self, "/users", filter: [("query[group_id]", String(groupID))]).map(\.user)
    }

    // MARK: - Courses and groups

    public func courses() async throws(LiveError) -> [ThinkificCourse] {
        try await listAll(WireCourse.self, "/courses").map(\.course)
    }

    /// The id of the course with this slug, or `nil` (Thinkific cannot filter courses, so this lists them).
    public func courseID(slug: String) async throws(LiveError) -> Int? {
        try await courses().first { $0.slug == slug }?.id
    }

    public func groups() async throws(LiveError) -> [ThinkificGroup] {
        try await listAll(WireGroup.self, "/groups").map(\.group)
    }

    // MARK: - Enrollments

    public func enrollments(courseID: Int) async throws(LiveError) -> [ThinkificEnrollment] {
        try await listAll(WireEnrollment.self, "/enrollments", filter: [("query[course_id]", String(courseID))]).map(\.enrollment)
    }

    public func enrollments(userID: Int) async throws(LiveError) -> [ThinkificEnrollment] {
        try await listAll(WireEnrollment.self, "/enrollments", filter: [("query[user_id]", String(userID))]).map(\.enrollment)
    }

    // MARK: - Paging

    func page<Wire: Decodable & Sendable>(
        _ type: Wire.Type, _ path: String, page: Int, filter: [(name: String, value: String)] = [],
        budget: ListingBudget? = nil
    ) async throws(LiveError) -> ThinkificPage<Wire> {
        let query = filter + [("page", String(page)), ("limit", String(Self.pageSize))]
        let response = try await channel.send("GET", path, query: query)
        let envelope = try channel.decode(ListEnvelope<Wire>.self, response, method: "GET", path: path)
        try budget?.admit(items: envelope.items.count, bytes: response.body.count)
        let pagination = envelope.meta?.pagination
        return ThinkificPage(
            items: envelope.items, currentPage: pagination?.currentPage ?? page, nextPage: pagination?.nextPage,
            totalPages: pagination?.totalPages, totalItems: pagination?.totalItems, bodyBytes: response.body.count)
    }

    /// Reads a listing to the end: page 1 (or the one given), then pages 2…`total_pages` concurrently, then on
    /// page by page while the last one still names a `next_page` (the listing grew meanwhile).
    ///
    /// Bounded by `limits`: the announced totals may not exceed `maxPages`, reading may not go more than
    /// `growthPages` past them, and a `next_page` must move forward. Past any bound the listing fails whole.
    func listAll<Wire: Decodable & Sendable>(
        _ type: Wire.Type, _ path: String, filter: [(name: String, value: String)] = [], first: ThinkificPage<Wire>? = nil
    ) async throws(LiveError) -> [Wire] {
        let budget = ListingBudget(limits, connection: channel.name, path: path)
        let firstPage: ThinkificPage<Wire>
        if let first {
            firstPage = first
        } else {
            firstPage = try await page(type, path, page: 1, filter: filter)
        }
        try budget.admit(items: firstPage.items.count, bytes: firstPage.bodyBytes)
        var items = firstPage.items
        guard var next = firstPage.nextPage else { return items }
        let announced = try announcedPages(firstPage, budget: budget)
        let allowed = limits.allowedPages(announced: announced)
        guard next >= 2, next <= allowed else { throw budget.failure("next_page \(next) after page 1") }
        if let totalPages = firstPage.totalPages, totalPages >= next {
            let start = next
            let pages = try await concurrently(totalPages - start + 1) { (index: Int) async throws(LiveError) in
                try await self.page(type, path, page: start + index, filter: filter, budget: budget)
            }
            for page in pages { items += page.items }
            guard let last = pages.last?.nextPage, last > totalPages else { return items }
            next = last
        }
        while true {
            guard budget.pages < allowed else {
                throw budget.failure("more than \(allowed) pages (\(announced.map(String.init) ?? "no total") announced)")
            }
            let page = try await page(type, path, page: next, filter: filter, budget: budget)
            items += page.items
            guard let following = page.nextPage, !page.items.isEmpty else { return items }
            guard following > next else { throw budget.failure("next_page \(following) after page \(next)") }
            next = following
        }
    }

    /// The pages the first page's totals announce (`total_pages`, else `total_items` at the page's size), which may
    /// not exceed the ceiling.
    private func announcedPages<Wire>(_ first: ThinkificPage<Wire>, budget: ListingBudget) throws(LiveError) -> Int? {
        if let totalPages = first.totalPages, totalPages < 1 || totalPages > limits.maxPages {
            throw budget.failure("total_pages \(totalPages) (at most \(limits.maxPages) are read)")
        }
        let announced =
            first.totalPages ?? ListingLimits.pages(items: first.totalItems, pageSize: max(1, first.items.count))
        if let announced, announced > limits.maxPages {
            throw budget.failure("total_items \(first.totalItems ?? 0) need \(announced) pages (at most \(limits.maxPages))")
        }
        return announced
    }
}

extension ThinkificPage {
    func map<Other: Sendable>(_ transform: (Item) -> Other) -> ThinkificPage<Other> {
        ThinkificPage<Other>(
            items: items.map(transform), currentPage: currentPage, nextPage: nextPage, totalPages: totalPages,
            totalItems: totalItems, bodyBytes: bodyBytes)
    }
}

// MARK: - Wire shapes

struct ListEnvelope<Item: Decodable & Sendable>: Decodable, Sendable {
    var items: [Item]
    var meta: Meta?

    struct Meta: Decodable, Sendable {
        var pagination: Pagination?
    }

    struct Pagination: Decodable, Sendable {
        var currentPage: Int?
        var nextPage: Int?
        var totalPages: Int?
        var totalItems: Int?

        enum CodingKeys: String, CodingKey {
            case currentPage = "current_page", nextPage = "next_page", totalPages = "total_pages", totalItems = "total_items"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            currentPage = try container.decodeIntIfPresent(.currentPage)
            nextPage = try container.decodeIntIfPresent(.nextPage)
            totalPages = try container.decodeIntIfPresent(.totalPages)
            totalItems = try container.decodeIntIfPresent(.totalItems)
        }
    }
}

struct WireUser: Decodable, Sendable {
    var user: ThinkificUser

    init(user: ThinkificUser) {
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case id, email, firstName = "first_name", lastName = "last_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = ThinkificUser(
            id: try container.decodeInt(.id), email: try container.decode(String.self, forKey: .email),
            firstName: container.decodeText(.firstName), lastName: container.decodeText(.lastName))
    }
}

struct WireCourse: Decodable, Sendable {
    var course: ThinkificCourse

    enum CodingKeys: String, CodingKey {
        case id, name, slug
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        course = ThinkificCourse(
            id: try container.decodeInt(.id), name: try container.decode(String.self, forKey: .name),
            slug: container.decodeText(.slug))
    }
}

struct WireGroup: Decodable, Sendable {
    var group: ThinkificGroup

    enum CodingKeys: String, CodingKey {
        case id, name
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        group = ThinkificGroup(id: try container.decodeInt(.id), name: try container.decode(String.self, forKey: .name))
    }
}

struct WireEnrollment: Decodable, Sendable {
    var enrollment: ThinkificEnrollment

    enum CodingKeys: String, CodingKey {
        case id, userID = "user_id", userEmail = "user_email", courseID = "course_id", activatedAt = "activated_at"
        case expiryDate = "expiry_date", expired, completed, isFreeTrial = "is_free_trial"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enrollment = ThinkificEnrollment(
            id: try container.decodeInt(.id), userID: try container.decodeInt(.userID),
            userEmail: try container.decode(String.self, forKey: .userEmail), courseID: try container.decodeInt(.courseID),
            activatedAt: container.decodeText(.activatedAt), expiryDate: container.decodeText(.expiryDate),
            isExpired: container.decodeFlag(.expired), isCompleted: container.decodeFlag(.completed),
            isFreeTrial: container.decodeFlag(.isFreeTrial))
    }
}
