import Foundation
import Planner

/// What exists live for a client onboarded by hand, read for `stoicprov import --from-live`: the WorkOS organization
/// whose `external_id` is the tenant id (with its connections and the active members of each directory group), and on
/// the Thinkific site the courses, and the users of the tenant's domains with their enrollments and group memberships.
public struct LiveTenant: Sendable, Hashable {
    public var organization: WorkOSOrganization?
    public var connections: [SSOConnection]
    public var directories: [WorkOSDirectory]
    /// Directory group name → lower-cased emails of its active members (every directory of the organization).
    public var directoryGroups: [String: Set<String>]
    /// Thinkific users whose email is in the tenant's domains.
    public var users: [ThinkificUser]
    public var courses: [ThinkificCourse]
    /// Those users' enrollments, in every course.
    public var enrollments: [ThinkificEnrollment]
    /// Thinkific group name → ids of those users in it (groups without any left out).
    public var groupMembers: [String: Set<Int>]

    public init(
        organization: WorkOSOrganization?, connections: [SSOConnection] = [], directories: [WorkOSDirectory] = [],
        directoryGroups: [String: Set<String>] = [:], users: [ThinkificUser] = [], courses: [ThinkificCourse] = [],
        enrollments: [ThinkificEnrollment] = [], groupMembers: [String: Set<Int>] = [:]
    ) {
        self.organization = organization
        self.connections = connections
        self.directories = directories
        self.directoryGroups = directoryGroups
        self.users = users
        self.courses = courses
        self.enrollments = enrollments
        self.groupMembers = groupMembers
    }

    /// Reads it. Thinkific is read in listings: every course's enrollments, every group's members, every user; an
    /// import is a one-off, so reading the whole site is acceptable where the API offers no narrower filter.
    public static func read(
        tenant: String, domains: [String], thinkific: ThinkificClient, workos: WorkOSClient?
    ) async throws(LiveError) -> LiveTenant {
        let domains = Set(domains.map { $0.lowercased() })
        func owned(_ email: String) -> Bool {
            guard let at = email.lastIndex(of: "@") else { return false }
            return domains.contains(email[email.index(after: at)...].lowercased())
        }
        var live = LiveTenant(organization: nil)
        if let workos {
            let record = try await workos.organizationRecord(externalID: tenant)
            live.organization = record.organization
            live.connections = record.connections
            live.directories = record.directories
            let groups = try await workos.groups(of: record.directories)
            let members = try await concurrently(groups.count) { (index: Int) async throws(LiveError) in
                try await workos.directoryUsers(in: groups[index])
            }
            for (group, users) in zip(groups, members) {
                let active = users.filter { $0.state == "active" }.compactMap { $0.email?.lowercased() }
                live.directoryGroups[group.name, default: []].formUnion(active)
            }
        }
        live.courses = try await thinkific.courses().sorted { $0.id < $1.id }
        live.users = try await thinkific.allUsers().filter { owned($0.email) }.sorted { $0.id < $1.id }
        let courses = live.courses
        live.enrollments = try await concurrently(courses.count) { (index: Int) async throws(LiveError) in
            try await thinkific.enrollments(courseID: courses[index].id)
        }.flatMap { $0 }.filter { owned($0.userEmail) }.sorted { $0.id < $1.id }
        let siteGroups = try await thinkific.groups()
        let members = try await concurrently(siteGroups.count) { (index: Int) async throws(LiveError) in
            try await thinkific.users(inGroup: siteGroups[index].id)
        }
        for (group, users) in zip(siteGroups, members) {
            let ids = users.filter { owned($0.email) }.map(\.id)
            if !ids.isEmpty { live.groupMembers[group.name, default: []].formUnion(ids) }
        }
        return live
    }
}
