import Foundation
import Planner
import Testing
import Views

/// The 50,000-person plan (the size of `scripts/bench-plan`'s, ~170,000 changes) as a pull-request comment: under
/// the size cap, with the complete summary, and every removal listed up to the cap. Asserted as properties rather
/// than a golden of 60,000 characters.
@Suite struct LargePlanCommentTests {
    static let firstNames = ["Ana", "Anna", "Amir", "Aiko", "Ben", "Bea", "Carla", "Chloe", "Diego", "Dana"]
    static let joiners = 48_000
    static let leavers = 2_000

    /// 48,000 joiners (user, group, enrollment on Thinkific; user on insights) and 2,000 leavers (an expiry and a
    /// deactivation each), every address starting with `a`…`d` at pg.com so that many people share a mask.
    static let plan: Plan = {
        var changes: [Change] = []
        changes.reserveCapacity(joiners * 4 + leavers * 2)
        changes.append(
            Change(
                id: "thinkific/group/P&G 2026", kind: .create,
                action: .createThinkificGroup(name: "P&G 2026"), reason: "granted by rule learners"))
        for index in 0..<joiners {
            let first = firstNames[index % firstNames.count]
            let email = "\(first.lowercased()).p\(index)@pg.com"
            changes += [
                Change(
                    id: "thinkific/user/\(email)", kind: .create,
                    action: .createThinkificUser(email: email, firstName: first, lastName: "P\(index)"),
                    reason: "joined SG-Stoic-Learners"),
                Change(
                    id: "thinkific/groups/\(email)", kind: .create,
                    action: .addToThinkificGroups(email: email, userID: nil, groups: ["P&G 2026"]),
                    reason: "joined SG-Stoic-Learners"),
                Change(
                    id: "thinkific/enroll/\(email)", kind: .create,
                    action: .enroll(
                        email: email, userID: nil, courseSlug: "conscious-leadership-foundations", courseID: 101,
                        activatedAt: "2026-05-04", expiryDate: "2026-12-18"),
                    reason: "joined SG-Stoic-Learners"),
                Change(
                    id: "insights/user/\(email)", kind: .create,
                    action: .createSCIMUser(
                        app: "insights", userName: email, externalID: nil, givenName: first, familyName: "P\(index)"),
                    reason: "joined SG-Stoic-Learners"),
            ]
        }
        for index in 0..<leavers {
            let email = "\(firstNames[index % firstNames.count].lowercased()).l\(index)@pg.com"
            changes += [
                Change(
                    id: "thinkific/expire/\(email)", kind: .remove,
                    action: .expireEnrollment(
                        email: email, enrollmentID: index, courseSlug: "leading-teams", expiryDate: "2026-11-18"),
                    reason: "left SG-Stoic-Managers"),
                Change(
                    id: "insights/deactivate/\(email)", kind: .remove,
                    action: .deactivateSCIMUser(app: "insights", userID: "u\(index)", userName: email),
                    reason: "left SG-Stoic-Managers"),
            ]
        }
        var tenant = TenantPlan(
            tenant: "pg", name: "Procter & Gamble", changes: changes, seats: SeatUsage(entitled: 48_000, licensed: 100_000),
            removalGuard: RemovalGuard(removals: leavers, provisioned: 2_000, threshold: 100_000),
            estimates: [
                ApplyEstimate(connection: "thinkific", requests: joiners * 3 + leavers, requestsPerMinute: 120, seconds: 73_000),
                ApplyEstimate(connection: "insights", requests: joiners + leavers, requestsPerMinute: nil, seconds: 0),
            ])
        tenant.summary = AccessSummary(
            tenant, context: AccessSummary.Context(rules: { $0.hasSuffix("Learners") ? ["learners"] : ["managers"] }))
        let plan = Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [tenant])
        return plan.pseudonymised(with: Pseudonym(key: Array("bench".utf8)))
    }()

    @Test func commentIsUnderTheCapWithTheWholeSummaryAndEveryRemovalUpToTheCap() throws {
        let plan = Self.plan
        #expect(plan.counts.total == Self.joiners * 4 + Self.leavers * 2 + 1)
        let comment = PlanRenderer.markdown(plan)
        #expect(comment.utf16.count <= 60_000)
        // The complete summary.
        let summary = try #require(plan.tenants[0].summary)
        #expect(summary.lines.count == 2)
        #expect(
            comment.contains("- +48,000 joined SG-Stoic-Learners → learners: thinkific account, conscious-leadership-foundations")
        )
        #expect(comment.contains("- −2,000 left SG-Stoic-Managers → managers: lose thinkific leading-teams; insights account"))
        #expect(comment.contains("- Seats: 2,000 → 48,000 of 100,000 licensed"))
        #expect(comment.contains("- Estimated time to apply: ~20 h 17 min"))
        #expect(comment.contains(#"create Thinkific group "P&amp;G 2026" (granted by rule learners)"#))
        // Every removal up to the cap, one line per person, each person told apart, then the count beyond.
        #expect(comment.contains("**Removals: 2,000 people lose access**"))
        let removalLines = comment.split(separator: "\n").filter { $0.hasPrefix("- ") && $0.contains("` — − ") }
        #expect(removalLines.count == 300)
        #expect(Set(removalLines.map { $0.prefix { $0 != "—" } }).count == 300, "two removal lines name the same label")
        #expect(comment.contains("- … and 1,700 more people (`stoicprov plan --by person`)"))
        // The per-person details are what is cut, and the cut is said.
        #expect(comment.contains("<details>") && comment.contains("</details>"))
        #expect(comment.contains("more people in the details not shown"))
        #expect(!comment.contains("@pg.com #") || !comment.contains(".p1@pg.com"), "no address in full")
    }

    @Test func textStartsWithTheSummaryAndListsEveryPersonByPerson() {
        let text = PlanRenderer.text(Self.plan, color: false, byPerson: true)
        #expect(text.hasPrefix("Summary pg (Procter & Gamble)\n"))
        let people = text.split(separator: "\n").filter { $0.hasPrefix("    ") && $0.contains("@pg.com") }
        #expect(people.count == Self.joiners + Self.leavers)
    }
}
