import Apply
import Foundation
import Live
import Operations
import Planner
import Spec
import Testing
import Views

/// The pure half of `import --from-live`: which directory groups map to which rule, who goes on the roster, and
/// the dates and seats, from hand-built live state.
@Suite struct ImportDraftTests {
    static let now = Date(timeIntervalSince1970: 1_790_856_000)  // 2026-10-01T12:00:00Z
    static let organization = WorkOSOrganization(
        id: "org_1", name: "Acme Corp", externalID: "acme", domains: [WorkOSDomain(domain: "acme.com", state: "verified")])

    /// Users 1…n at acme.com; `courses[i]` are user i+1's unexpired enrollments (course ids).
    static func live(
        courses: [[Int]], groups: [String: Set<Int>] = [:], directory: [String: Set<String>]? = nil,
        expiry: String = "2027-03-31T23:59:59.000Z"
    ) -> LiveTenant {
        let users = courses.indices.map {
            ThinkificUser(id: $0 + 1, email: "p\($0 + 1)@acme.com", firstName: "P", lastName: "\($0 + 1)")
        }
        var enrollments: [ThinkificEnrollment] = []
        for (index, list) in courses.enumerated() {
            for course in list {
                enrollments.append(
                    ThinkificEnrollment(
                        id: enrollments.count + 1, userID: index + 1, userEmail: "P\(index + 1)@Acme.com", courseID: course,
                        activatedAt: "2026-09-01T00:00:00.000Z", expiryDate: expiry))
            }
        }
        return LiveTenant(
            organization: organization,
            connections: [SSOConnection(id: "conn_1", name: "Okta", connectionType: "OktaSAML", state: "active")],
            directories: directory == nil
                ? [] : [WorkOSDirectory(id: "d_1", name: "Okta", type: "okta scim v2.0", state: "linked")],
            directoryGroups: directory ?? [:], users: users,
            courses: [ThinkificCourse(id: 1, name: "One", slug: "one"), ThinkificCourse(id: 2, name: "Two", slug: "two")],
            enrollments: enrollments, groupMembers: groups)
    }

    static func draft(_ live: LiveTenant, idp: SSOProvider? = nil) -> ImportedTenant {
        TenantImport.draft(live, options: .init(tenant: "acme", domains: ["acme.com"], provider: idp), now: now)
    }

    @Test func aGroupWhoseMembersAllShareOneSetMapsToItsRule() {
        let live = Self.live(
            courses: [[1], [1], [1, 2], [2]], groups: ["Cohort": [1, 2, 3]],
            directory: ["Learners": ["p1@acme.com", "p2@acme.com"], "Leads": ["p3@acme.com"], "Other": ["p9@acme.com"]])
        let draft = Self.draft(live)
        #expect(draft.directory == .workos)
        #expect(draft.provider == .okta)
        #expect(draft.rules.map(\.name) == ["learners", "leads", "two"])
        #expect(draft.rules[0].idpGroups == ["Learners"])
        #expect(draft.rules[0].courses == ["one"] && draft.rules[0].groups == ["Cohort"])
        #expect(draft.rules[1].courses == ["one", "two"])
        #expect(draft.rules[2].idpGroups == [])
        #expect(
            draft.rosterRows == [ImportedTenant.RosterRow(email: "p4@acme.com", firstName: "P", lastName: "4", access: "two")])
        #expect(draft.rosters.map(\.file) == ["../rosters/acme-imported.csv"])
    }

    @Test func aGroupWithOneMemberWithoutThatSetIsNotMapped() {
        // p3 is in Learners but has another course: mapping Learners would give p3 course one, or take course two away.
        let live = Self.live(courses: [[1], [1], [2]], directory: ["Learners": ["p1@acme.com", "p2@acme.com", "p3@acme.com"]])
        let draft = Self.draft(live)
        #expect(draft.rules.allSatisfy { $0.idpGroups.isEmpty })
        #expect(draft.rosterRows.map(\.email) == ["p1@acme.com", "p2@acme.com", "p3@acme.com"])
        #expect(Set(draft.rosters.map(\.file)) == ["../rosters/acme-imported-one.csv", "../rosters/acme-imported-two.csv"])
    }

    @Test func withoutADirectoryEveryoneIsOnARoster() {
        let draft = Self.draft(Self.live(courses: [[1], [1]], directory: nil), idp: .google)
        #expect(draft.directory == DirectorySource.none)
        #expect(draft.provider == .google)
        #expect(draft.rosterRows.count == 2)
        #expect(draft.text.contains("rosters:\n  - { file: ../rosters/acme-imported.csv, access: one }\n"))
    }

    @Test func expiredEnrollmentsGrantNothing() {
        let draft = Self.draft(Self.live(courses: [[1], [2]], expiry: "2026-09-30T23:59:59Z"))
        #expect(draft.rules.isEmpty)
        #expect(draft.rosterRows.isEmpty)
    }

    @Test func datesAreTheMostCommonAndSeatsRoundUp() {
        let draft = Self.draft(Self.live(courses: Array(repeating: [1], count: 23)))
        #expect(draft.program.starts == CalendarDate(year: 2026, month: 9, day: 1))
        #expect(draft.program.ends == CalendarDate(year: 2027, month: 3, day: 31))
        #expect(draft.seats == 30)
        #expect(!draft.checks.contains { $0.contains("do not expire at the end") })
        let offTime = Self.draft(Self.live(courses: [[1]], expiry: "2027-03-31T12:00:00Z"))
        #expect(offTime.checks.contains { $0.contains("1 enrollments do not expire at the end of 2027-03-31") })
    }

    @Test func theDraftParsesAsATenantFile() throws {
        // "g" is too short for a rule name: the rule mapping G is called "learners".
        let live = Self.live(
            courses: [[1], [1, 2]], groups: ["Cohort \"A\", 2026": [1, 2]], directory: ["G": ["p1@acme.com"]])
        let text = Self.draft(live).text
        var diagnostics = Diagnostics()
        let node = try #require(YAMLLoader.load(Data(text.utf8), file: "acme.yaml", diagnostics: &diagnostics))
        #expect(diagnostics.all.isEmpty, "\(diagnostics.all)")
        #expect(node["tenant"]?.string == "acme")
        #expect(node["access"]?["learners"]?["thinkific"]?["groups"]?.items?.first?.string == "Cohort \"A\", 2026")
    }
}
