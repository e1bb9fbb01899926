import Foundation
import Planner
import Synchronization

/// Reads the live state of tenants, in listings rather than per person.
///
/// Per tenant: WorkOS organization → connections and directories → the directory groups → users per mapped group
/// (one listing per group gives its memberships); on the Thinkific site the courses and groups (read once per run,
/// shared by all tenants), enrollments per managed course and members per managed group, then the tenant's users by
/// the cheapest route (`ThinkificUserRoute`); per SCIM app the users whose userName ends in one of the tenant's
/// domains and the named groups. Everything read is scoped to the tenant's people: an email in its domains, its
/// rosters or its mapped directory groups.
public final class Observer: Sendable {
    public let thinkific: ThinkificClient?
    public let workos: WorkOSClient?
    public let scim: [String: SCIMClient]

    private let siteCourses = Memo<[ThinkificCourse]>()
    private let siteGroups = Memo<[ThinkificGroup]>()
    private let firstUsersPage = Memo<ThinkificPage<ThinkificUser>>()
    private let allSiteUsers = Memo<[ThinkificUser]>()
    private let routes = Mutex<[String: ThinkificUserRoute]>([:])

    /// Seconds one tenant's observation may take, all its reads together: past it, the reads are cancelled and the
    /// tenant fails with `LiveError.deadlineExceeded`.
    public let deadline: Double

    /// The default deadline: 30 minutes, room for a large Thinkific site read at its 120 requests a minute.
    public static let defaultDeadline: Double = 1800

    public init(
        thinkific: ThinkificClient? = nil, workos: WorkOSClient? = nil, scim: [String: SCIMClient] = [:],
        deadline: Double = Observer.defaultDeadline
    ) {
        self.thinkific = thinkific
        self.workos = workos
        self.scim = scim
        self.deadline = deadline
    }

    /// Every connection, by name.
    private var connections: [HTTPChannel] {
        [thinkific?.channel, workos?.channel].compactMap { $0 } + scim.values.map(\.channel)
    }

    /// Requests made so far per connection name.
    public var requests: [String: ChannelStats] {
        var result: [String: ChannelStats] = [:]
        if let thinkific { result[thinkific.channel.name] = thinkific.channel.stats }
        if let workos { result[workos.channel.name] = workos.channel.stats }
        for (name, client) in scim { result[name] = client.channel.stats }
        return result
    }

    /// How each tenant's Thinkific users were found in this run, by tenant id (for tests and benchmarks).
    public var thinkificRoutes: [String: ThinkificUserRoute] { routes.withLock { $0 } }

    /// Observes one tenant, within the deadline.
    public func observe(_ request: ObservationRequest) async throws(LiveError) -> ObservedTenant {
        let deadline = self.deadline
        let connections = self.connections
        return try await Self.within(deadline) { () async throws(LiveError) in
            try await self.observeUnbounded(request)
        } onTimeout: {
            let busy = connections.filter { $0.requestsInFlight > 0 }.map(\.name)
            return .deadlineExceeded(tenant: request.tenant, seconds: deadline, connections: busy.sorted())
        }
    }

    private func observeUnbounded(_ request: ObservationRequest) async throws(LiveError) -> ObservedTenant {
        let scope = TenantScope(request)
        // The Thinkific listings and the SCIM reads do not depend on the directory: they run alongside it.
        async let listingsRead = Self.catching { () async throws(LiveError) -> ThinkificListings? in
            guard let thinkificScope = request.thinkific else { return nil }
            return try await self.thinkificListings(thinkificScope, scope: scope, tenant: request.tenant)
        }
        async let scimRead = Self.catching { () async throws(LiveError) in
            try await self.observeSCIM(request.scim, scope: scope, tenant: request.tenant)
        }
        let directoryRead = await Self.catching { () async throws(LiveError) -> ObservedDirectory? in
            guard let workosScope = request.workos else { return nil }
            return try await self.observeDirectory(workosScope, tenant: request.tenant)
        }
        let directory = try directoryRead.get()
        let directoryEmails = (directory?.users ?? []).filter(\.isActive).compactMap { $0.email?.lowercased() }

        var thinkific: ObservedThinkific?
        if let listings = try await listingsRead.get() {
            thinkific = try await completeThinkific(listings, scope: scope.adding(directoryEmails), tenant: request.tenant)
        }
        let apps = try await scimRead.get()
        return ObservedTenant(tenant: request.tenant, thinkific: thinkific, directory: directory, scimApps: apps)
    }

    // MARK: - WorkOS

    func observeDirectory(_ scope: WorkOSScope, tenant: String) async throws(LiveError) -> ObservedDirectory {
        guard let workos else { throw .missingConnection(name: "workos", tenant: tenant) }
        var observed = try await workos.organizationRecord(externalID: scope.organizationExternalID)
        guard observed.organization != nil, scope.readsDirectory else { return observed }
        do throws(LiveError) {
            let groups = try await workos.groups(of: observed.directories)
            observed.groups = groups.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            let wanted = Set(scope.idpGroups)
            let mapped = observed.groups.filter { wanted.contains($0.name) }
            let members = try await concurrently(mapped.count) { (index: Int) async throws(LiveError) in
                try await workos.directoryUsers(in: mapped[index])
            }
            var people: [String: DirectoryPerson] = [:]
            for (group, users) in zip(mapped, members) {
                for user in users {
                    var person =
                        people[user.id]
                        ?? DirectoryPerson(
                            id: user.id, idpID: user.idpID, email: user.email, firstName: user.firstName,
                            lastName: user.lastName, state: user.state, groups: [])
                    if !person.groups.contains(group.name) { person.groups.append(group.name) }
                    people[user.id] = person
                }
            }
            observed.users = people.values.map { person in
                var person = person
                person.groups.sort()
                return person
            }.sorted { ($0.idpID, $0.id) < ($1.idpID, $1.id) }
        } catch {
            if case .cancelled = error { throw error }
            observed.readSucceeded = false
            observed.failure = error.description
        }
        return observed
    }

    // MARK: - Thinkific

    struct ThinkificListings: Sendable {
        var courses: [ThinkificCourse]
        var groups: [ThinkificGroup]
        var enrollments: [ThinkificEnrollment]
        var groupMembers: [(group: ThinkificGroup, users: [ThinkificUser])]
    }

    func thinkificListings(
        _ scope: ThinkificScope, scope tenantScope: TenantScope, tenant: String
    ) async throws(LiveError)
        -> ThinkificListings
    {
        guard let thinkific else { throw .missingConnection(name: "thinkific", tenant: tenant) }
        async let groupsRead = Self.catching { () async throws(LiveError) in
            try await self.siteGroups.value { () async throws(LiveError) in try await thinkific.groups() }
        }
        let courses = try await siteCourses.value { () async throws(LiveError) in try await thinkific.courses() }
        let groups = try await groupsRead.get()
        let slugs = Set(scope.courseSlugs)
        let managedCourses = courses.filter { $0.slug.map(slugs.contains) ?? false }
        let names = Set(scope.groupNames)
        let managedGroups = groups.filter { names.contains($0.name) }
        async let membersRead = Self.catching { () async throws(LiveError) in
            try await concurrently(managedGroups.count) { (index: Int) async throws(LiveError) in
                try await thinkific.users(inGroup: managedGroups[index].id)
            }
        }
        let enrollments = try await concurrently(managedCourses.count) { (index: Int) async throws(LiveError) in
            try await thinkific.enrollments(courseID: managedCourses[index].id)
        }.flatMap { $0 }
        let members = try await membersRead.get()
        return ThinkificListings(
            courses: courses.sorted { $0.id < $1.id }, groups: groups.sorted { $0.id < $1.id }, enrollments: enrollments,
            groupMembers: Array(zip(managedGroups, members)).map { (group: $0.0, users: $0.1) })
    }

    /// Scopes the listings to the tenant and finds the users not yet seen, by the cheapest route.
    func completeThinkific(
        _ listings: ThinkificListings, scope: TenantScope, tenant: String
    ) async throws(LiveError)
        -> ObservedThinkific
    {
        guard let thinkific else { throw .missingConnection(name: "thinkific", tenant: tenant) }
        var users: [String: ThinkificUser] = [:]  // by lowercased email
        func remember(_ user: ThinkificUser) {
            let key = user.email.lowercased()
            guard scope.contains(key) else { return }
            if let known = users[key], known.firstName != nil { return }
            users[key] = user
        }
        let enrollments = listings.enrollments.filter { scope.contains($0.userEmail.lowercased()) }.sorted { $0.id < $1.id }
        var groupMembers: [ThinkificGroupMembers] = []
        for (group, members) in listings.groupMembers {
            members.forEach(remember)
            let ids = members.filter { scope.contains($0.email.lowercased()) }.map(\.id)
            groupMembers.append(ThinkificGroupMembers(groupID: group.id, groupName: group.name, userIDs: ids.sorted()))
        }
        for enrollment in enrollments {
            remember(ThinkificUser(id: enrollment.userID, email: enrollment.userEmail))
        }

        let unseen = try await unseenUsers(scope.candidates.filter { users[$0] == nil }, thinkific: thinkific)
        unseen.users.forEach(remember)
        let route = unseen.route
        routes.withLock { $0[tenant] = route }
        return ObservedThinkific(
            users: users.values.sorted { $0.id < $1.id }, courses: listings.courses, groups: listings.groups,
            enrollments: enrollments, groupMembers: groupMembers.sorted { $0.groupID < $1.groupID })
    }

    /// Reads the people of `unknown` (emails the listings did not show) by the cheapest route — none, one lookup, a
    /// lookup each, or the whole site's listing — and returns the route and every user read on the way.
    private func unseenUsers(
        _ unknown: [String], thinkific: ThinkificClient
    ) async throws(LiveError) -> (route: ThinkificUserRoute, users: [ThinkificUser]) {
        if unknown.isEmpty { return (.alreadyKnown, []) }
        if unknown.count == 1 {
            return (.lookups(1), try await thinkific.user(email: unknown[0]).map { [$0] } ?? [])
        }
        let first = try await firstUsersPage.value { () async throws(LiveError) in
            try await thinkific.usersPage(page: 1)
        }
        let seen = Set(first.items.map { $0.email.lowercased() })
        let remaining = unknown.filter { !seen.contains($0) }
        let totalPages =
            first.totalPages ?? ListingLimits.pages(items: first.totalItems, pageSize: ThinkificClient.pageSize) ?? 1
        let route = ThinkificUserRoute.choose(remainingCandidates: remaining.count, totalPages: totalPages)
        switch route {
        case .lookups:
            let found = try await concurrently(remaining.count) { (index: Int) async throws(LiveError) in
                try await thinkific.user(email: remaining[index])
            }
            return (route, first.items + found.compactMap { $0 })
        case .listing:
            let all = try await allSiteUsers.value { () async throws(LiveError) in
                try await thinkific.allUsers(firstPage: first)
            }
            return (route, first.items + all)
        case .alreadyKnown:
            return (route, first.items)
        }
    }

    // MARK: - SCIM

    func observeSCIM(_ scopes: [SCIMScope], scope: TenantScope, tenant: String) async throws(LiveError) -> [ObservedSCIMApp] {
        var found: [(SCIMScope, SCIMClient)] = []
        for app in scopes {
            guard let client = scim[app.app] else { throw .missingConnection(name: app.app, tenant: tenant) }
            found.append((app, client))
        }
        let clients = found
        return try await concurrently(clients.count) { (index: Int) async throws(LiveError) in
            let (app, client) = clients[index]
            return try await self.observeSCIMApp(app, client: client, scope: scope)
        }.sorted { $0.app < $1.app }
    }

    func observeSCIMApp(_ app: SCIMScope, client: SCIMClient, scope: TenantScope) async throws(LiveError) -> ObservedSCIMApp {
        async let groupsRead = Self.catching { () async throws(LiveError) in
            try await concurrently(app.groupNames.count) { (index: Int) async throws(LiveError) in
                try await client.group(displayName: app.groupNames[index])
            }
        }
        var users: [SCIMUser]
        do throws(LiveError) {
            users = try await concurrently(scope.domains.count) { (index: Int) async throws(LiveError) in
                try await client.users(filter: "userName ew \(SCIMClient.quote("@" + scope.domains[index]))")
            }.flatMap { $0 }
        } catch {
            // A provider without `ew` filtering: read everyone once and keep the tenant's.
            guard case .status(let code, _, _, _) = error, code == 400 || code == 501 else { throw error }
            users = try await client.allUsers()
        }
        users = users.filter { scope.contains($0.userName.lowercased()) }
        let groups = try await groupsRead.get().compactMap { $0 }
        var seen: Set<String> = []
        users = users.filter { seen.insert($0.id).inserted }
        return ObservedSCIMApp(
            app: app.app, users: users.sorted { ($0.userName.lowercased(), $0.id) < ($1.userName.lowercased(), $1.id) },
            groups: groups.sorted { $0.displayName < $1.displayName })
    }

    // MARK: - Helpers

    static func catching<T: Sendable>(_ work: () async throws(LiveError) -> T) async -> Result<T, LiveError> {
        do throws(LiveError) {
            return .success(try await work())
        } catch {
            return .failure(error)
        }
    }

    /// Runs `work`, cancelling it after `seconds` and throwing what `onTimeout` says instead.
    static func within<T: Sendable>(
        _ seconds: Double, _ work: @escaping @Sendable () async throws(LiveError) -> T,
        onTimeout: @escaping @Sendable () -> LiveError
    ) async throws(LiveError) -> T {
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await work() }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(min(seconds, 1e9) * 1000)))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else { throw onTimeout() }
                return value
            }
        } catch let error as LiveError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// A shared read's value; cancelling the caller cancels the read (every caller is under the same deadline).
    static func value<T: Sendable>(of task: Task<T, any Error>) async throws(LiveError) -> T {
        do {
            return try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch let error as LiveError {
            throw error
        } catch {
            throw .cancelled
        }
    }
}

/// Who belongs to a tenant: an email in one of its domains, or one of its known people (rosters, mapped directory
/// groups). Emails are compared lowercased.
struct TenantScope: Sendable {
    let domains: [String]
    let candidates: [String]
    private let candidateSet: Set<String>

    init(_ request: ObservationRequest) {
        self.init(domains: request.domains.map { $0.lowercased() }, candidates: request.rosterEmails)
    }

    private init(domains: [String], candidates: [String]) {
        self.domains = domains
        var seen: Set<String> = []
        self.candidates = candidates.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        candidateSet = seen
    }

    func adding(_ emails: [String]) -> TenantScope {
        TenantScope(domains: domains, candidates: candidates + emails)
    }

    func contains(_ email: String) -> Bool {
        if candidateSet.contains(email) { return true }
        guard let at = email.lastIndex(of: "@") else { return false }
        let domain = email[email.index(after: at)...]
        return domains.contains { $0 == domain }
    }
}

/// Runs a read once and shares its result (or error) with every caller, so site-wide listings are read once per run
/// (unless a caller's deadline cancelled it).
final class Memo<Value: Sendable>: Sendable {
    private let task = Mutex<Task<Value, any Error>?>(nil)

    func value(_ read: @escaping @Sendable () async throws(LiveError) -> Value) async throws(LiveError) -> Value {
        let running = task.withLock { current in
            // A read cancelled at another tenant's deadline is read again for this one, under its own deadline.
            if let current, !current.isCancelled { return current }
            let started = Task<Value, any Error> { try await read() }
            current = started
            return started
        }
        return try await Observer.value(of: running)
    }
}
