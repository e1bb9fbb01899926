import Foundation
import Planner

/// Hand-built observed states for the planner scenarios. `World.pg()` is the converged state of the scenario
/// workspace's `pg` tenant: everyone has exactly what the spec grants, all of it provisioned by stoicprov (SCIM users
/// carry its marker, enrollments the programme's dates). Scenarios start from it and change one thing.
enum World {
    /// 2026-11-18T11:06:40Z: during the pg programme.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let expiry = "2026-12-18T23:59:59.000Z"
    static let learners = "SG-Stoic-Learners"
    static let managers = "SG-Stoic-Managers"
    static let clf = ThinkificCourse(id: 101, name: "Conscious Leadership Foundations", slug: "conscious-leadership-foundations")
    static let leadingTeams = ThinkificCourse(id: 102, name: "Leading Teams", slug: "leading-teams")
    static let resilientSelf = ThinkificCourse(id: 103, name: "The Resilient Self", slug: "resilient-self")

    struct Person {
        var name: String
        var idpGroups: [String]
        var inDirectory = true
        var email: String { "\(name)@pg.com" }
        var idpID: String { "00u-\(name)" }
        var isManager: Bool { idpGroups.contains(World.managers) }
    }

    /// ana, eve: learners; ben: manager; carla: both; dan: on the roster only.
    static let pgPeople = [
        Person(name: "ana", idpGroups: [learners]),
        Person(name: "ben", idpGroups: [managers]),
        Person(name: "carla", idpGroups: [learners, managers]),
        Person(name: "dan", idpGroups: [], inDirectory: false),
        Person(name: "eve", idpGroups: [learners]),
    ]

    static func pg(people: [Person] = pgPeople) -> ObservedTenant {
        var users: [ThinkificUser] = []
        var enrollments: [ThinkificEnrollment] = []
        var directoryPeople: [DirectoryPerson] = []
        var insightsUsers: [SCIMUser] = []
        var learnerIDs: [String] = []
        var managerIDs: [String] = []
        for (offset, person) in people.enumerated() {
            let id = offset + 1
            let first = person.name.capitalized
            users.append(ThinkificUser(id: id, email: person.email, firstName: first, lastName: "Doe"))
            enrollments.append(
                ThinkificEnrollment(
                    id: 9000 + id * 10 + 1, userID: id, userEmail: person.email, courseID: clf.id,
                    activatedAt: "2026-05-04T00:00:00.000Z", expiryDate: expiry))
            if person.isManager {
                enrollments.append(
                    ThinkificEnrollment(
                        id: 9000 + id * 10 + 2, userID: id, userEmail: person.email, courseID: leadingTeams.id,
                        activatedAt: "2026-05-04T00:00:00.000Z", expiryDate: expiry))
            }
            if person.inDirectory {
                directoryPeople.append(
                    DirectoryPerson(
                        id: "directory_user_\(person.name)", idpID: person.idpID, email: person.email, firstName: first,
                        lastName: "Doe", state: "active", groups: person.idpGroups.sorted()))
            }
            let scimID = "u-\(person.name)"
            insightsUsers.append(
                SCIMUser(
                    id: scimID, userName: person.email,
                    externalID: SCIMMarker.externalID(idpID: person.inDirectory ? person.idpID : nil, userName: person.email),
                    // The roster names dan Dan Diaz; the directory names everyone else … Doe.
                    givenName: first, familyName: person.inDirectory ? "Doe" : "Diaz", email: person.email))
            if !person.inDirectory || person.idpGroups.contains(learners) { learnerIDs.append(scimID) }
            if person.isManager { managerIDs.append(scimID) }
        }
        return ObservedTenant(
            tenant: "pg",
            thinkific: ObservedThinkific(
                users: users, courses: [clf, leadingTeams, resilientSelf], groups: [ThinkificGroup(id: 7, name: "P&G 2026")],
                enrollments: enrollments,
                groupMembers: [ThinkificGroupMembers(groupID: 7, groupName: "P&G 2026", userIDs: users.map(\.id))]),
            directory: ObservedDirectory(
                organization: WorkOSOrganization(
                    id: "org_pg", name: "Procter & Gamble", externalID: "pg",
                    domains: [WorkOSDomain(domain: "pg.com", state: "verified")]),
                connections: [SSOConnection(id: "conn_1", name: "Ping", connectionType: "PingFederateSAML", state: "active")],
                directories: [WorkOSDirectory(id: "directory_1", name: "Ping", type: "generic scim v2.0", state: "linked")],
                groups: [
                    DirectoryGroupInfo(id: "group_l", name: learners, directoryID: "directory_1"),
                    DirectoryGroupInfo(id: "group_m", name: managers, directoryID: "directory_1"),
                ],
                users: directoryPeople.sorted { $0.idpID < $1.idpID }),
            scimApps: [
                ObservedSCIMApp(
                    app: "insights", users: insightsUsers,
                    groups: [
                        SCIMGroup(id: "g-learners", displayName: "learners", memberIDs: learnerIDs.sorted()),
                        SCIMGroup(id: "g-managers", displayName: "managers", memberIDs: managerIDs.sorted()),
                    ])
            ],
            requests: ["insights": 3, "thinkific": 6, "workos": 6])
    }

    /// A tenant nothing has been done for yet: the organization exists (client IT set up SSO and the directory),
    /// but Thinkific and the SCIM app know nobody and have no groups.
    static func pgBeforeOnboarding() -> ObservedTenant {
        var observed = pg()
        observed.thinkific = ObservedThinkific(courses: [clf, leadingTeams, resilientSelf])
        observed.scimApps = [ObservedSCIMApp(app: "insights")]
        return observed
    }

    /// Contoso before its first plan: no WorkOS organization, nobody anywhere.
    static func contosoNew() -> ObservedTenant {
        ObservedTenant(
            tenant: "contoso", thinkific: ObservedThinkific(courses: [clf, leadingTeams, resilientSelf]),
            directory: ObservedDirectory(organization: nil), scimApps: [ObservedSCIMApp(app: "dashboard")],
            requests: ["dashboard": 1, "thinkific": 3, "workos": 1])
    }
}

extension ObservedTenant {
    /// Sets a directory person's mapped groups; with none left they drop out of the observation (the observer
    /// only lists members of mapped groups).
    mutating func setGroups(_ email: String, _ groups: [String]) {
        guard var directory else { return }
        if groups.isEmpty {
            directory.users.removeAll { $0.email == email }
        } else {
            for index in directory.users.indices where directory.users[index].email == email {
                directory.users[index].groups = groups.sorted()
            }
        }
        self.directory = directory
    }

    mutating func updateDirectoryPerson(_ email: String, _ change: (inout DirectoryPerson) -> Void) {
        guard var directory else { return }
        for index in directory.users.indices where directory.users[index].email == email { change(&directory.users[index]) }
        self.directory = directory
    }

    mutating func updateEnrollments(_ change: (inout ThinkificEnrollment) -> Void) {
        guard var thinkific else { return }
        for index in thinkific.enrollments.indices { change(&thinkific.enrollments[index]) }
        self.thinkific = thinkific
    }

    mutating func updateSCIMUser(_ app: String, _ userName: String, _ change: (inout SCIMUser) -> Void) {
        for appIndex in scimApps.indices where scimApps[appIndex].app == app {
            for index in scimApps[appIndex].users.indices where scimApps[appIndex].users[index].userName == userName {
                change(&scimApps[appIndex].users[index])
            }
        }
    }
}
