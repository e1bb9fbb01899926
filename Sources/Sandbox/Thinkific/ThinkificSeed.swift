import Foundation
import Spec

/// The `thinkific:` section of a sandbox seed, decoded: the sites (one per subdomain) and what each already holds.
///
/// Only `subdomain` and `courses` are needed; users, groups and enrollments let tests build "hand-onboarded"
/// states, and `generate` adds many people at once for load tests.
public struct ThinkificSeed: Sendable {
    public var sites: [Site]

    public init(sites: [Site]) {
        self.sites = sites
    }

    /// One Thinkific site (school), addressed by its subdomain.
    public struct Site: Sendable {
        public var subdomain: String
        public var apiKey: String
        public var courses: [Course]
        public var users: [User]
        public var groups: [Group]
        public var enrollments: [Enrollment]
        public var generate: Generator?
        /// People of a tenant's domains the site had before stoicprov (`preexisting:`).
        public var preexisting: Preexisting?
        public var location: SourceLocation?

        public init(
            subdomain: String, apiKey: String = SandboxDefaults.thinkificAPIKey, courses: [Course] = [], users: [User] = [],
            groups: [Group] = [], enrollments: [Enrollment] = [], generate: Generator? = nil, preexisting: Preexisting? = nil,
            location: SourceLocation? = nil
        ) {
            self.preexisting = preexisting
            self.subdomain = subdomain
            self.apiKey = apiKey
            self.courses = courses
            self.users = users
            self.groups = groups
            self.enrollments = enrollments
            self.generate = generate
            self.location = location
        }
    }

    public struct Course: Sendable {
        public var id: Int
        public var name: String
        public var slug: String
        /// The course's product; Thinkific's `product_id` differs from the course id (default `id + 1000`).
        public var productID: Int?
        public var location: SourceLocation?

        public init(id: Int, name: String, slug: String, productID: Int? = nil, location: SourceLocation? = nil) {
            self.id = id
            self.name = name
            self.slug = slug
            self.productID = productID
            self.location = location
        }
    }

    public struct User: Sendable {
        public var id: Int?
        public var email: String
        public var firstName: String
        public var lastName: String
        public var roles: [String]
        public var company: String?
        public var externalSource: String?
        /// Names of seeded groups the user belongs to.
        public var groups: [String]
        public var location: SourceLocation?

        public init(
            id: Int? = nil, email: String, firstName: String, lastName: String, roles: [String] = [], company: String? = nil,
            externalSource: String? = nil, groups: [String] = [], location: SourceLocation? = nil
        ) {
            self.id = id
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.roles = roles
            self.company = company
            self.externalSource = externalSource
            self.groups = groups
            self.location = location
        }
    }

    public struct Group: Sendable {
        public var id: Int?
        public var name: String
        /// Names are unique per site; `analysts` are emails of seeded users holding the `group_analyst` role.
        public var analysts: [String]
        public var location: SourceLocation?

        public init(id: Int? = nil, name: String, analysts: [String] = [], location: SourceLocation? = nil) {
            self.id = id
            self.name = name
            self.analysts = analysts
            self.location = location
        }
    }

    /// An existing enrollment, with progress, so tests can check that progress is never lost.
    public struct Enrollment: Sendable {
        public var id: Int?
        /// The enrolled user's email (a seeded user).
        public var email: String
        public var courseID: Int
        public var activatedAt: Date?
        public var expiryDate: Date?
        public var startedAt: Date?
        public var completedAt: Date?
        public var percentageCompleted: Double
        public var location: SourceLocation?

        public init(
            id: Int? = nil, email: String, courseID: Int, activatedAt: Date? = nil, expiryDate: Date? = nil,
            startedAt: Date? = nil, completedAt: Date? = nil, percentageCompleted: Double = 0, location: SourceLocation? = nil
        ) {
            self.id = id
            self.email = email
            self.courseID = courseID
            self.activatedAt = activatedAt
            self.expiryDate = expiryDate
            self.startedAt = startedAt
            self.completedAt = completedAt
            self.percentageCompleted = percentageCompleted
            self.location = location
        }
    }

    /// `count` generated students `person000001@<domain>`…, for load tests.
    public struct Generator: Sendable {
        public var count: Int
        public var domain: String

        public init(count: Int, domain: String) {
            self.count = count
            self.domain = domain
        }
    }

    /// A site onboarded by hand before stoicprov arrived: `perDomain` users `handmade-001@<domain>`… per domain (people
    /// of the tenant's domains that stoicprov did not provision), each enrolled by hand in `courses` (activated 30 days
    /// before the sandbox started, no expiry, a quarter done). What the planner makes of them is its business.
    public struct Preexisting: Sendable {
        /// Bounds: at most 100 domains of at most 10,000 people each.
        public static let maximumDomains = 100
        public static let maximumPerDomain = 10_000

        public var domains: [String]
        public var perDomain: Int
        public var courses: [Int]
        public var location: SourceLocation?

        public init(domains: [String], perDomain: Int = 3, courses: [Int] = [], location: SourceLocation? = nil) {
            self.domains = domains
            self.perDomain = perDomain
            self.courses = courses
            self.location = location
        }
    }

    /// The Thinkific part of `DefaultSeed`: the `stoic` site with the example workspace's four courses.
    public static let `default` = ThinkificSeed(sites: [
        Site(
            subdomain: SandboxDefaults.thinkificSubdomain, apiKey: SandboxDefaults.thinkificAPIKey,
            courses: [
                Course(id: 101, name: "Conscious Leadership Foundations", slug: "conscious-leadership-foundations"),
                Course(id: 102, name: "Leading Teams", slug: "leading-teams"),
                Course(id: 103, name: "The Resilient Self", slug: "resilient-self"),
                Course(id: 104, name: "Introduction to Stoicism", slug: "intro-to-stoicism"),
            ])
    ])
}

// MARK: - Decoding from the seed's node tree

extension ThinkificSeed {
    /// Decodes the `thinkific:` section; `nil` means the section is absent and yields `ThinkificSeed.default`.
    public init(node: Node?) throws(SandboxError) {
        guard let node else {
            self = .default
            return
        }
        let reader = ThinkificSeedReader(section: "thinkific")
        try reader.keys(of: node, allowed: ["sites"])
        var sites: [Site] = []
        for item in try reader.list(node, "sites", required: true) {
            sites.append(try Self.site(item, reader))
        }
        self.init(sites: sites)
    }

    private static func site(_ node: Node, _ reader: ThinkificSeedReader) throws(SandboxError) -> Site {
        try reader.keys(
            of: node, allowed: ["subdomain", "api_key", "courses", "users", "groups", "enrollments", "generate", "preexisting"])
        var site = Site(
            subdomain: try reader.string(node, "subdomain"),
            apiKey: try reader.optionalString(node, "api_key") ?? SandboxDefaults.thinkificAPIKey,
            location: node.location)
        for item in try reader.list(node, "courses") { site.courses.append(try course(item, reader)) }
        for item in try reader.list(node, "users") { site.users.append(try user(item, reader)) }
        for item in try reader.list(node, "groups") { site.groups.append(try group(item, reader)) }
        for item in try reader.list(node, "enrollments") { site.enrollments.append(try enrollment(item, reader)) }
        if let generate = node["generate"] {
            try reader.keys(of: generate, allowed: ["count", "domain"])
            site.generate = Generator(
                count: try reader.int(generate, "count", maximum: SandboxLimits.seedGeneratedPeople),
                domain: try reader.string(generate, "domain"))
        }
        if let preexisting = node["preexisting"] { site.preexisting = try Self.preexisting(preexisting, reader) }
        return site
    }

    private static func preexisting(_ node: Node, _ reader: ThinkificSeedReader) throws(SandboxError) -> Preexisting {
        try reader.keys(of: node, allowed: ["domains", "per_domain", "courses"])
        var courses: [Int] = []
        for item in try reader.list(node, "courses") {
            guard let id = item.int, id > 0, id <= SandboxLimits.seedID else {
                throw .seed(.thinkificSeedExpected("a course id", in: reader.section, at: item))
            }
            courses.append(id)
        }
        let domains = try reader.strings(node, "domains")
        guard domains.count <= Preexisting.maximumDomains else {
            throw .seed(.thinkificSeedExpected("at most \(Preexisting.maximumDomains) domains", in: reader.section, at: node))
        }
        return Preexisting(
            domains: domains, perDomain: try reader.optionalInt(node, "per_domain", maximum: Preexisting.maximumPerDomain) ?? 3,
            courses: courses, location: node.location)
    }

    private static func course(_ item: Node, _ reader: ThinkificSeedReader) throws(SandboxError) -> Course {
        try reader.keys(of: item, allowed: ["id", "name", "slug", "product_id"])
        return Course(
            id: try reader.int(item, "id"), name: try reader.string(item, "name"), slug: try reader.string(item, "slug"),
            productID: try reader.optionalInt(item, "product_id"), location: item.location)
    }

    private static func user(_ item: Node, _ reader: ThinkificSeedReader) throws(SandboxError) -> User {
        try reader.keys(
            of: item, allowed: ["id", "email", "first_name", "last_name", "roles", "company", "external_source", "groups"])
        return User(
            id: try reader.optionalInt(item, "id"), email: try reader.string(item, "email"),
            firstName: try reader.string(item, "first_name"), lastName: try reader.string(item, "last_name"),
            roles: try reader.strings(item, "roles"), company: try reader.optionalString(item, "company"),
            externalSource: try reader.optionalString(item, "external_source"),
            groups: try reader.strings(item, "groups"), location: item.location)
    }

    private static func group(_ item: Node, _ reader: ThinkificSeedReader) throws(SandboxError) -> Group {
        try reader.keys(of: item, allowed: ["id", "name", "analysts"])
        return Group(
            id: try reader.optionalInt(item, "id"), name: try reader.string(item, "name"),
            analysts: try reader.strings(item, "analysts"), location: item.location)
    }

    private static func enrollment(_ item: Node, _ reader: ThinkificSeedReader) throws(SandboxError) -> Enrollment {
        try reader.keys(
            of: item,
            allowed: [
                "id", "email", "course_id", "activated_at", "expiry_date", "started_at", "completed_at",
                "percentage_completed",
            ])
        return Enrollment(
            id: try reader.optionalInt(item, "id"), email: try reader.string(item, "email"),
            courseID: try reader.int(item, "course_id"), activatedAt: try reader.date(item, "activated_at"),
            expiryDate: try reader.date(item, "expiry_date"), startedAt: try reader.date(item, "started_at"),
            completedAt: try reader.date(item, "completed_at"),
            percentageCompleted: try reader.fraction(item, "percentage_completed") ?? 0, location: item.location)
    }
}

/// Reads typed values out of seed nodes, turning shape mismatches into `SandboxError.seed` at the node's position.
struct ThinkificSeedReader {
    var section: String

    func keys(of node: Node, allowed: Set<String>) throws(SandboxError) {
        guard let pairs = node.pairs else {
            throw .seed(.thinkificSeedExpected("a mapping", in: section, at: node))
        }
        for pair in pairs {
            let key = pair.key.string ?? ""
            if !allowed.contains(key) {
                throw .seed(.thinkificSeedUnknownKey(key, in: section, allowed: allowed, at: pair.key))
            }
        }
    }

    func value(_ node: Node, _ key: String, required: Bool) throws(SandboxError) -> Node? {
        guard let value = node[key], !value.isNull else {
            if required { throw .seed(.thinkificSeedMissingKey(key, in: section, at: node)) }
            return nil
        }
        return value
    }

    /// A required string.
    func string(_ node: Node, _ key: String) throws(SandboxError) -> String {
        guard let text = try optionalString(node, key, required: true) else {
            throw .seed(.thinkificSeedMissingKey(key, in: section, at: node))
        }
        return text
    }

    func optionalString(_ node: Node, _ key: String, required: Bool = false) throws(SandboxError) -> String? {
        guard let value = try self.value(node, key, required: required) else { return nil }
        guard value.scalar != nil, let text = value.string else {
            throw .seed(.thinkificSeedExpected("a string for `\(key)`", in: section, at: value))
        }
        return text
    }

    /// A required whole number from 0 to `maximum` (ids: `SandboxLimits.seedID`).
    func int(_ node: Node, _ key: String, maximum: Int = SandboxLimits.seedID) throws(SandboxError) -> Int {
        guard let number = try optionalInt(node, key, maximum: maximum, required: true) else {
            throw .seed(.thinkificSeedMissingKey(key, in: section, at: node))
        }
        return number
    }

    func optionalInt(
        _ node: Node, _ key: String, maximum: Int = SandboxLimits.seedID, required: Bool = false
    ) throws(SandboxError) -> Int? {
        guard let value = try self.value(node, key, required: required) else { return nil }
        guard let number = value.int, number >= 0 else {
            throw .seed(.thinkificSeedExpected("a non-negative integer for `\(key)`", in: section, at: value))
        }
        guard number <= maximum else {
            throw .seed(.thinkificSeedExpected("at most \(maximum) for `\(key)`", in: section, at: value))
        }
        return number
    }

    func fraction(_ node: Node, _ key: String) throws(SandboxError) -> Double? {
        guard let value = try self.value(node, key, required: false) else { return nil }
        guard let number = value.double, (0...1).contains(number) else {
            throw .seed(.thinkificSeedExpected("a number from 0.0 to 1.0 for `\(key)`", in: section, at: value))
        }
        return number
    }

    func date(_ node: Node, _ key: String) throws(SandboxError) -> Date? {
        guard let value = try self.value(node, key, required: false) else { return nil }
        guard let text = value.string, let date = Timestamp.parseLenient(text) else {
            throw .seed(.thinkificSeedExpected("an ISO-8601 date-time for `\(key)`", in: section, at: value))
        }
        return date
    }

    func list(_ node: Node, _ key: String, required: Bool = false) throws(SandboxError) -> [Node] {
        guard let value = try self.value(node, key, required: required) else { return [] }
        guard let items = value.items else {
            throw .seed(.thinkificSeedExpected("a list for `\(key)`", in: section, at: value))
        }
        return items
    }

    func strings(_ node: Node, _ key: String) throws(SandboxError) -> [String] {
        var result: [String] = []
        for item in try list(node, key) {
            guard item.scalar != nil, let text = item.string else {
                throw .seed(.thinkificSeedExpected("a string in `\(key)`", in: section, at: item))
            }
            result.append(text)
        }
        return result
    }
}

extension Diagnostic {
    static func thinkificSeedExpected(_ what: String, in section: String, at node: Node) -> Diagnostic {
        .error("seed-shape", "\(section): expected \(what), found `\(node)`", at: node.location)
    }

    static func thinkificSeedUnknownKey(_ key: String, in section: String, allowed: Set<String>, at node: Node) -> Diagnostic {
        let hint = Suggestion.closest(to: key, in: allowed.sorted()).map { "; did you mean `\($0)`?" } ?? ""
        return .error("seed-unknown-key", "\(section): unknown key `\(key)`\(hint)", at: node.location)
    }

    static func thinkificSeedMissingKey(_ key: String, in section: String, at node: Node) -> Diagnostic {
        .error("seed-missing-key", "\(section): missing `\(key)`", at: node.location)
    }

    static func thinkificSeedUnknownReference(
        _ what: String, _ name: String, in section: String, at location: SourceLocation?
    )
        -> Diagnostic
    {
        .error("seed-reference", "\(section): no \(what) `\(name)` in this site", at: location)
    }

    static func thinkificSeedDuplicate(
        _ what: String, _ name: String, in section: String, at location: SourceLocation?
    )
        -> Diagnostic
    {
        .error("seed-duplicate", "\(section): \(what) `\(name)` appears twice in this site", at: location)
    }
}
