import Foundation
import Planner

/// What a tenant's targeted reads need that does not depend on the people read: the WorkOS organization, its
/// connections, directories and groups, and the Thinkific site's courses and groups. Read once (`frame(_:)`) and
/// reused by every targeted batch until a full reconcile or an organization event reads it again.
public struct TenantFrame: Sendable, Hashable, Codable {
    /// The organization, connections, directories and groups; `users` empty.
    public var directory: ObservedDirectory?
    public var courses: [ThinkificCourse]
    public var thinkificGroups: [ThinkificGroup]
    /// Per SCIM app, the groups the tenant's rules name that exist, without their members: a person no SCIM app
    /// knows yet is in none of them, so their batch needs no group read.
    public var scimGroups: [String: [SCIMGroup]]

    public init(
        directory: ObservedDirectory?, courses: [ThinkificCourse] = [], thinkificGroups: [ThinkificGroup] = [],
        scimGroups: [String: [SCIMGroup]] = [:]
    ) {
        self.directory = directory
        self.courses = courses
        self.thinkificGroups = thinkificGroups
        self.scimGroups = scimGroups
    }
}

/// The people a targeted read observes: directory users by id, and emails (a leaver whose directory user is gone,
/// the old address of an email change).
public struct PeopleRequest: Sendable, Hashable {
    public var directoryUserIDs: [String]
    public var emails: [String]
    /// Sign-ins through the tenant's SSO connection (`authentication.sso_succeeded`) among these people: the plan
    /// grants them the tenant's `sso_sign_in` rules.
    public var signIns: [SignIn]

    public init(directoryUserIDs: [String], emails: [String], signIns: [SignIn] = []) {
        self.directoryUserIDs = Array(Set(directoryUserIDs)).sorted()
        self.emails = Array(Set((emails + signIns.map(\.email)).map { $0.lowercased() })).sorted()
        self.signIns = signIns.sorted { $0.email < $1.email }
    }
}

extension Observer {
    /// The tenant's frame: organization, connections, directories and groups (WorkOS), courses and groups (Thinkific).
    public func frame(_ request: ObservationRequest) async throws(LiveError) -> TenantFrame {
        var directory: ObservedDirectory?
        if let scope = request.workos, let workos {
            var observed = try await workos.organizationRecord(externalID: scope.organizationExternalID)
            if observed.organization != nil, scope.readsDirectory {
                observed.groups = try await workos.groups(of: observed.directories).sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            }
            directory = observed
        }
        var frame = TenantFrame(directory: directory)
        for scope in request.scim where !scope.groupNames.isEmpty {
            guard let client = scim[scope.app] else { continue }
            let filter = scope.groupNames.map { "displayName eq \(SCIMClient.quote($0))" }.joined(separator: " or ")
            frame.scimGroups[scope.app] = try await client.groups(filter: filter)
                .filter { scope.groupNames.contains($0.displayName) }
                .map { SCIMGroup(id: $0.id, displayName: $0.displayName, memberIDs: []) }
        }
        guard request.thinkific != nil, let thinkific else { return frame }
        frame.courses = try await thinkific.courses()
        frame.thinkificGroups = try await thinkific.groups()
        return frame
    }

    /// Observes only `people` of the tenant (DESIGN: the orchestrator's targeted reads): each directory user by id,
    /// then every email known for them on the Thinkific site (the user, their enrollments, their membership of each
    /// managed group) and in each SCIM app (`userName eq` or `externalId eq`, and the named groups). Returns the
    /// observation and every email it concerns. A failed directory read marks the directory unread, as a full
    /// observation does: no removals follow from it.
    public func observe(
        _ request: ObservationRequest, frame: TenantFrame, people: PeopleRequest
    ) async throws(LiveError) -> (observed: ObservedTenant, emails: Set<String>) {
        var directory = frame.directory
        var idpIDs: [String] = []
        var emails = Set(people.emails)
        if var observed = directory, let scope = request.workos, scope.readsDirectory, observed.organization != nil {
            do throws(LiveError) {
                observed.users = try await directoryPeople(people.directoryUserIDs, mapped: Set(scope.idpGroups))
                    .sorted { ($0.idpID, $0.id) < ($1.idpID, $1.id) }
                for person in observed.users {
                    if let email = person.email { emails.insert(email.lowercased()) }
                    idpIDs.append(person.idpID)
                }
            } catch {
                if case .cancelled = error { throw error }
                observed.readSucceeded = false
                observed.failure = error.description
            }
            directory = observed
        }
        let sortedEmails = emails.sorted()
        var thinkific: ObservedThinkific?
        if let scope = request.thinkific {
            thinkific = try await thinkificPeople(sortedEmails, scope: scope, frame: frame, tenant: request.tenant)
        }
        var apps: [ObservedSCIMApp] = []
        for scope in request.scim {
            apps.append(
                try await scimPeople(
                    sortedEmails, idpIDs: idpIDs, scope: scope, known: frame.scimGroups[scope.app], tenant: request.tenant))
        }
        let observed = ObservedTenant(tenant: request.tenant, thinkific: thinkific, directory: directory, scimApps: apps)
        return (observed, emails)
    }

    /// Directory users by id (a 404 is a user who is gone), each kept when in at least one mapped group, as the
    /// per-group listing of a full observation would show them.
    private func directoryPeople(_ ids: [String], mapped: Set<String>) async throws(LiveError) -> [DirectoryPerson] {
        guard let workos else { return [] }
        var people: [DirectoryPerson] = []
        for id in ids {
            guard let user = try await workos.directoryUser(id: id) else { continue }
            var groups = user.groups ?? []
            if user.groups == nil { groups = try await workos.directoryGroups(userID: id) }
            let names = Array(Set(groups.map(\.name)).intersection(mapped)).sorted()
            guard !names.isEmpty else { continue }
            people.append(
                DirectoryPerson(
                    id: user.id, idpID: user.idpID, email: user.email, firstName: user.firstName, lastName: user.lastName,
                    state: user.state, groups: names))
        }
        return people
    }

    private func thinkificPeople(
        _ emails: [String], scope: ThinkificScope, frame: TenantFrame, tenant: String
    ) async throws(LiveError) -> ObservedThinkific {
        guard let thinkific else { throw .missingConnection(name: "thinkific", tenant: tenant) }
        let managedCourses = Set(frame.courses.filter { scope.courseSlugs.contains($0.slug ?? "") }.map(\.id))
        let managedGroups = frame.thinkificGroups.filter { scope.groupNames.contains($0.name) }
        var observed = ObservedThinkific(courses: frame.courses, groups: frame.thinkificGroups)
        var members: [Int: [Int]] = [:]
        for email in emails {
            guard let user = try await thinkific.user(email: email) else { continue }
            observed.users.append(user)
            observed.enrollments += try await thinkific.enrollments(userID: user.id).filter {
                managedCourses.contains($0.courseID)
            }
            for group in managedGroups {
                let page = try await thinkific.usersPage(
                    page: 1, filter: [("query[group_id]", String(group.id)), ("query[email]", user.email)])
                if page.items.contains(where: { $0.id == user.id }) { members[group.id, default: []].append(user.id) }
            }
        }
        observed.users.sort { $0.id < $1.id }
        observed.enrollments.sort { $0.id < $1.id }
        observed.groupMembers = managedGroups.map { group in
            ThinkificGroupMembers(groupID: group.id, groupName: group.name, userIDs: (members[group.id] ?? []).sorted())
        }
        return observed
    }

    /// The app's users with these userNames or directory ids, and the named groups: from `known` (the frame's,
    /// memberless) when none of the people is a user of the app yet, else read with their members.
    private func scimPeople(
        _ emails: [String], idpIDs: [String], scope: SCIMScope, known: [SCIMGroup]?, tenant: String
    ) async throws(LiveError) -> ObservedSCIMApp {
        guard let client = scim[scope.app] else { throw .missingConnection(name: scope.app, tenant: tenant) }
        let terms =
            emails.map { "userName eq \(SCIMClient.quote($0))" } + idpIDs.map { "externalId eq \(SCIMClient.quote($0))" }
        guard !terms.isEmpty else { return ObservedSCIMApp(app: scope.app) }
        let users = try await client.users(filter: terms.joined(separator: " or "))
            .sorted { $0.userName.lowercased() < $1.userName.lowercased() }
        let ids = Set(users.map(\.id))
        var groups: [SCIMGroup] = []
        if users.isEmpty, let known {
            groups = known
        } else if !scope.groupNames.isEmpty {
            let filter = scope.groupNames.map { "displayName eq \(SCIMClient.quote($0))" }.joined(separator: " or ")
            groups = try await client.groups(filter: filter).filter { scope.groupNames.contains($0.displayName) }.map { group in
                SCIMGroup(id: group.id, displayName: group.displayName, memberIDs: group.memberIDs.filter(ids.contains).sorted())
            }
        }
        return ObservedSCIMApp(app: scope.app, users: users, groups: groups.sorted { $0.displayName < $1.displayName })
    }
}

extension WorkOSClient {
    /// One directory user by id, or `nil` when WorkOS answers 404 (deleted).
    public func directoryUser(id: String) async throws(LiveError) -> DirectoryUserRecord? {
        try await channel.getJSONIfPresent(WireDirectoryUser.self, "/directory_users/" + HTTPChannel.pathSegment(id))?.user
    }
}
