import Foundation
import Spec
import Synchronization

/// The Thinkific Admin API v1 as the sandbox serves it under `/thinkific/api/public/v1/…`.
///
/// Each seeded site (subdomain) is independent: its own key, courses, users, groups and enrollments, with ids
/// handed out sequentially per site. Requests authenticate with `X-Auth-API-Key` + `X-Auth-Subdomain`, or
/// `Authorization: Bearer <key>` (+ `X-Auth-Subdomain`, optional when the key names one site). The state sits
/// behind one mutex; handlers copy what they answer out of it and JSON is rendered outside the lock.
public final class ThinkificSurface: Surface {
    public let name = "thinkific"
    private let seed: ThinkificSeed
    private let clock: @Sendable () -> Date
    private let state: Mutex<ThinkificState>

    /// Loads the `thinkific:` section of a seed (`nil`: the default seed's section).
    public convenience init(seed: Node?, clock: @escaping @Sendable () -> Date = Date.init) throws(SandboxError) {
        try self.init(seed: try ThinkificSeed(node: seed), clock: clock)
    }

    /// Loads a seed built in Swift.
    public init(seed: ThinkificSeed, clock: @escaping @Sendable () -> Date = Date.init) throws(SandboxError) {
        self.seed = seed
        self.clock = clock
        self.state = Mutex(try Self.build(seed, now: clock()))
    }

    // MARK: - Surface

    public func handle(_ request: HTTPRequest, path: String) -> HTTPResponse {
        guard let route = ThinkificRoute(method: request.method, path: path) else {
            return ThinkificFailure.routeNotFound.response
        }
        let now = clock()
        let reply: ThinkificReply = state.withLock { state in
            guard let key = Self.authenticatedSite(request, in: state) else { return .failure(.authentication) }
            return state.sites[key]?.handle(route, request, now: now) ?? .failure(.authentication)
        }
        return reply.response
    }

    public func routeTemplate(method: String, path: String) -> String? {
        ThinkificRoute(method: method, path: path)?.template
    }

    public func snapshot() throws -> Data {
        let state = state.withLock { $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(state)
    }

    public func restore(from snapshot: Data) throws {
        var restored: ThinkificState
        do {
            restored = try JSONDecoder().decode(ThinkificState.self, from: snapshot)
        } catch {
            throw SandboxError.state(path: "thinkific", reason: "not a Thinkific snapshot: \(error)")
        }
        for key in restored.sites.keys {
            restored.sites[key]?.rebuildIndexes()
        }
        state.withLock { $0 = restored }
    }

    public func reset() {
        // The seed was valid when the surface was made, so building it again cannot fail.
        guard let fresh = try? Self.build(seed, now: clock()) else { return }
        state.withLock { $0 = fresh }
    }

    // MARK: - Authentication

    /// The key of the site the request's credentials open, or `nil` (401).
    private static func authenticatedSite(_ request: HTTPRequest, in state: ThinkificState) -> String? {
        var key = request.headers["X-Auth-API-Key"]
        if key == nil, let authorization = request.headers["Authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                key = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        guard let key, !key.isEmpty else { return nil }
        if let subdomain = request.headers["X-Auth-Subdomain"] {
            let siteKey = ThinkificState.key(subdomain.trimmingCharacters(in: .whitespaces))
            guard let site = state.sites[siteKey], site.apiKey == key else { return nil }
            return siteKey
        }
        // A bearer token alone (as OAuth access tokens are sent) opens the one site it belongs to.
        guard request.headers["X-Auth-API-Key"] == nil else { return nil }
        let matches = state.sites.filter { $0.value.apiKey == key }
        guard matches.count == 1 else { return nil }
        return matches.first?.key
    }
}

// MARK: - Building the seeded state

extension ThinkificSurface {
    static func build(_ seed: ThinkificSeed, now: Date) throws(SandboxError) -> ThinkificState {
        try checkGeneratedPeople(seed)
        var state = ThinkificState()
        for siteSeed in seed.sites {
            let key = ThinkificState.key(siteSeed.subdomain)
            if state.sites[key] != nil {
                throw .seed(.thinkificSeedDuplicate("subdomain", siteSeed.subdomain, in: "thinkific", at: siteSeed.location))
            }
            state.sites[key] = try buildSite(siteSeed, now: now)
        }
        return state
    }

    /// `generate:` blocks may create at most `SandboxLimits.seedGeneratedPeople` people over all sites.
    private static func checkGeneratedPeople(_ seed: ThinkificSeed) throws(SandboxError) {
        var total = 0
        for site in seed.sites {
            guard let generate = site.generate else { continue }
            total = total.saturatingAdd(max(0, generate.count))
            if total > SandboxLimits.seedGeneratedPeople {
                throw .seed(.seedTooManyGenerated(in: "thinkific", at: site.location))
            }
        }
    }

    /// One site, in dependency order: courses and groups, then the people who join groups, then the groups'
    /// analysts (who must exist), then enrollments (which name people and courses).
    private static func buildSite(_ seed: ThinkificSeed.Site, now: Date) throws(SandboxError) -> ThinkificSite {
        var site = ThinkificSite(subdomain: seed.subdomain, apiKey: seed.apiKey)
        try addCourses(seed.courses, to: &site)
        try addGroups(seed.groups, to: &site, now: now)
        try addUsers(seed.users, to: &site, now: now)
        if let generate = seed.generate { generateUsers(generate, in: &site, now: now) }
        try addAnalysts(seed.groups, to: &site)
        try addEnrollments(seed.enrollments, to: &site, now: now)
        if let preexisting = seed.preexisting { try addPreexisting(preexisting, to: &site, now: now) }
        return site
    }

    /// `handmade-001@<domain>`… for each domain, enrolled by hand in the listed courses; addresses the listed users
    /// already have are kept as they are (and enrolled like the others unless they already are).
    private static func addPreexisting(
        _ preexisting: ThinkificSeed.Preexisting, to site: inout ThinkificSite, now: Date
    ) throws(SandboxError) {
        for courseID in preexisting.courses where site.courses.record(courseID) == nil {
            throw .seed(.thinkificSeedUnknownReference("course id", String(courseID), in: "thinkific", at: preexisting.location))
        }
        let activated = now.addingTimeInterval(-30 * 86_400)
        for domain in preexisting.domains where preexisting.perDomain > 0 {
            for number in 1...preexisting.perDomain {
                let serial = String(number).leftPadded(to: 3)
                let email = "handmade-\(serial)@\(domain)"
                if site.user(email: email) == nil {
                    site.addUser(
                        ThinkificUser(
                            id: site.nextUserID, createdAt: now, firstName: "Handmade", lastName: serial, email: email, roles: [])
                    )
                }
                guard let user = site.user(email: email) else { continue }
                for courseID in preexisting.courses where site.enrollment(userID: user.id, courseID: courseID) == nil {
                    site.addEnrollment(
                        ThinkificEnrollment(
                            id: site.nextEnrollmentID, userID: user.id, courseID: courseID, userEmail: user.email,
                            userName: user.fullName, createdAt: now, updatedAt: now, activatedAt: activated, startedAt: activated,
                            completedAt: nil, expiryDate: nil, percentageCompleted: 0.25, isFreeTrial: false))
                }
            }
        }
    }

    private static func addCourses(_ courses: [ThinkificSeed.Course], to site: inout ThinkificSite) throws(SandboxError) {
        for course in courses {
            if site.courses.record(course.id) != nil {
                throw .seed(.thinkificSeedDuplicate("course id", String(course.id), in: "thinkific", at: course.location))
            }
            site.courses.insertSorted(
                ThinkificCourse(
                    id: course.id, name: course.name, slug: course.slug,
                    productID: course.productID ?? course.id.saturatingAdd(1000), instructorID: 1, chapterIDs: [],
                    reviewsEnabled: false))
        }
    }

    private static func addGroups(
        _ groups: [ThinkificSeed.Group], to site: inout ThinkificSite, now: Date
    ) throws(SandboxError) {
        site.nextGroupID = (groups.compactMap(\.id).max() ?? 0).saturatingAdd(1)
        for group in groups {
            let id = group.id ?? site.nextGroupID
            if site.group(named: group.name) != nil || site.groups.record(id) != nil {
                throw .seed(.thinkificSeedDuplicate("group", group.name, in: "thinkific", at: group.location))
            }
            site.addGroup(
                ThinkificGroup(id: id, name: group.name, token: site.token(groupID: id, name: group.name), createdAt: now))
        }
    }

    private static func addUsers(_ users: [ThinkificSeed.User], to site: inout ThinkificSite, now: Date) throws(SandboxError) {
        site.nextUserID = (users.compactMap(\.id).max() ?? 0).saturatingAdd(1)
        for user in users {
            let id = user.id ?? site.nextUserID
            if site.user(email: user.email) != nil || site.users.record(id) != nil {
                throw .seed(.thinkificSeedDuplicate("user", user.email, in: "thinkific", at: user.location))
            }
            site.addUser(
                ThinkificUser(
                    id: id, createdAt: now, firstName: user.firstName, lastName: user.lastName, email: user.email,
                    company: user.company, roles: user.roles, externalSource: user.externalSource))
            for name in user.groups {
                guard let group = site.group(named: name) else {
                    throw .seed(.thinkificSeedUnknownReference("group", name, in: "thinkific", at: user.location))
                }
                site.groupMembers[group.id, default: []].insertSortedUnique(id)
            }
        }
    }

    /// `person000001@<domain>`…, skipping addresses the listed users already have.
    private static func generateUsers(_ generate: ThinkificSeed.Generator, in site: inout ThinkificSite, now: Date) {
        guard generate.count > 0 else { return }
        for number in 1...min(generate.count, SandboxLimits.seedGeneratedPeople) {
            let serial = String(number).leftPadded(to: 6)
            let email = "person\(serial)@\(generate.domain)"
            guard site.user(email: email) == nil else { continue }
            site.addUser(
                ThinkificUser(id: site.nextUserID, createdAt: now, firstName: "Person", lastName: serial, email: email, roles: [])
            )
        }
    }

    private static func addAnalysts(_ groups: [ThinkificSeed.Group], to site: inout ThinkificSite) throws(SandboxError) {
        for group in groups {
            guard let groupID = site.group(named: group.name)?.id else { continue }
            for email in group.analysts {
                guard let user = site.user(email: email) else {
                    throw .seed(.thinkificSeedUnknownReference("user", email, in: "thinkific", at: group.location))
                }
                site.groupAnalysts[groupID, default: []].insertSortedUnique(user.id)
            }
        }
    }

    private static func addEnrollments(
        _ enrollments: [ThinkificSeed.Enrollment], to site: inout ThinkificSite, now: Date
    ) throws(SandboxError) {
        site.nextEnrollmentID = (enrollments.compactMap(\.id).max() ?? 0).saturatingAdd(1)
        for enrollment in enrollments {
            guard let user = site.user(email: enrollment.email) else {
                throw .seed(.thinkificSeedUnknownReference("user", enrollment.email, in: "thinkific", at: enrollment.location))
            }
            guard site.courses.record(enrollment.courseID) != nil else {
                throw .seed(
                    .thinkificSeedUnknownReference(
                        "course id", String(enrollment.courseID), in: "thinkific", at: enrollment.location))
            }
            let id = enrollment.id ?? site.nextEnrollmentID
            if site.enrollment(userID: user.id, courseID: enrollment.courseID) != nil || site.enrollments.record(id) != nil {
                throw .seed(
                    .thinkificSeedDuplicate(
                        "enrollment", "\(enrollment.email) in \(enrollment.courseID)", in: "thinkific", at: enrollment.location))
            }
            site.addEnrollment(
                ThinkificEnrollment(
                    id: id, userID: user.id, courseID: enrollment.courseID, userEmail: user.email, userName: user.fullName,
                    createdAt: now, updatedAt: now, activatedAt: enrollment.activatedAt,
                    startedAt: enrollment.startedAt ?? enrollment.activatedAt ?? now, completedAt: enrollment.completedAt,
                    expiryDate: enrollment.expiryDate, percentageCompleted: enrollment.percentageCompleted,
                    isFreeTrial: enrollment.activatedAt == nil))
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
