import Foundation
import Planner
import TestSupport
import Testing
import Views

@Suite struct RenderMarkdownTests {
    @Test func masked() {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants)
        assertSnapshot(markdown, named: "markdown-three-tenants-masked")
        #expect(!markdown.contains("ana@pg.com"))
        #expect(!markdown.contains("Ana Garcia"))
        #expect(markdown.contains("Ana G. · `a…@pg.com`"))
    }

    @Test func unmasked() {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants, showEmails: true)
        assertSnapshot(markdown, named: "markdown-three-tenants-unmasked")
        #expect(markdown.contains("Ana Garcia · `ana@pg.com`"))
    }

    @Test func verdictComesFirst() {
        let firstLine = PlanRenderer.markdown(RenderFixtures.threeTenants).split(separator: "\n").first.map(String.init)
        #expect(
            firstLine
                == "**stoicprov plan**: 3 tenants, 7 to create, 2 to update, 5 to remove — ❌ 1 tenant has errors "
                + "— ⚠ 1 tenant needs --allow-mass-removal")
    }

    @Test func removalsAreListedInFullBeforeTheDetails() throws {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants)
        let removals = try #require(markdown.range(of: "**Removals: 1 person loses access**"))
        let details = try #require(markdown.range(of: "<details>"))
        #expect(removals.upperBound < details.lowerBound)
        #expect(
            markdown.contains(
                "- `c…@pg.com` — − thinkific leading-teams; insights group \"managers\" (left SG-Stoic-Managers)"))
    }

    @Test func errorsAndManualStepsAreNotCollapsed() throws {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants)
        let firstDetails = try #require(markdown.range(of: "<details>")).lowerBound
        let error = try #require(markdown.range(of: "directory-read-failed")).lowerBound
        let manual = try #require(markdown.range(of: "Thinkific group \"P&amp;G 2026\"")).lowerBound
        #expect(error < firstDetails)
        #expect(manual < firstDetails)
    }

    @Test func noChanges() {
        let markdown = PlanRenderer.markdown(RenderFixtures.noChanges)
        assertSnapshot(markdown, named: "markdown-no-changes")
        #expect(markdown.hasPrefix("**stoicprov plan**: 2 tenants, no changes\n"))
        #expect(!markdown.contains("<details>"))
    }

    @Test func seatsExceeded() {
        let markdown = PlanRenderer.markdown(RenderFixtures.seatsExceeded)
        assertSnapshot(markdown, named: "markdown-seats-exceeded")
        #expect(markdown.contains("26 / 25 ⚠ exceeded"))
    }

    @Test func namesAreEscaped() {
        var tenant = RenderFixtures.pg
        tenant.name = "A|B <script>alert(1)</script>"
        tenant.changes = [
            Change(
                id: "x", kind: .create,
                action: .createSCIMGroup(app: "insights", displayName: "<script>"), reason: "named by `rule` ```")
        ]
        tenant.manualSteps = [
            ManualStep(destination: .thinkific, description: "rename group *x* | <b>y</b>", reason: "ask ana@pg.com")
        ]
        let markdown = PlanRenderer.markdown(Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [tenant]))
        #expect(!markdown.contains("<script>"))
        #expect(!markdown.contains("<b>"))
        #expect(markdown.contains("A\\|B &lt;script&gt;alert\\(1\\)&lt;/script&gt;"))
        #expect(markdown.contains("rename group \\*x\\* \\| &lt;b&gt;y&lt;/b&gt; (ask `a…@pg.com`)"))
        #expect(markdown.contains("- + insights: create group &lt;script&gt; (named by \\`rule\\` \\`\\`\\`)"))
    }

    /// `count` people who each gain a course, and one who loses one.
    static func manyPeople(_ count: Int) -> TenantPlan {
        var tenant = RenderFixtures.pg
        tenant.changes =
            (0..<count).map { index in
                let email = "person\(index)@pg.com"
                return Change(
                    id: "thinkific/enroll/\(email)", kind: .create,
                    action: .enroll(
                        email: email, userID: nil, courseSlug: "conscious-leadership-foundations", courseID: 101,
                        activatedAt: "2026-05-04", expiryDate: "2026-12-18"),
                    reason: "joined SG-Stoic-Learners")
            } + [
                Change(
                    id: "thinkific/expire/zed@pg.com", kind: .remove,
                    action: .expireEnrollment(
                        email: "zed@pg.com", enrollmentID: 1, courseSlug: "leading-teams", expiryDate: "2026-11-18"),
                    reason: "left SG-Stoic-Managers")
            ]
        return tenant
    }

    @Test func hugePlanIsCutBelowTheLimitWithANote() throws {
        let plan = Plan(
            createdAt: RenderFixtures.createdAt, workspaceDigest: "",
            tenants: [Self.manyPeople(5_000), RenderFixtures.northwind, RenderFixtures.contoso])
        let markdown = PlanRenderer.markdown(plan)
        #expect(markdown.utf16.count <= 60_000)
        #expect(markdown.utf16.count > 55_000)  // cut, not emptied
        let shown = markdown.split(separator: "\n").filter { $0.hasPrefix("- `p…@pg.com`: + ") }
        #expect(shown.count > 300)
        // pg's 5,000 and Zed, and northwind's four people: every one not shown is counted.
        let hidden = (5_005 - shown.count).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        #expect(markdown.contains("… \(hidden) more people in the details not shown"))
        #expect(markdown.contains("run `stoicprov show plan.json --by person` for every person"))
        // Removals of every tenant survive the cut; the summary and errors are whole.
        #expect(markdown.contains("- `z…@pg.com` — − thinkific leading-teams (left SG-Stoic-Managers)"))
        #expect(markdown.contains("- +5,000 joined SG-Stoic-Learners: thinkific conscious-leadership-foundations"))
        #expect(markdown.contains("g…@northwind.com"))
        #expect(markdown.contains("| pg — Procter &amp; Gamble | thinkific | 5,000 | 0 | 1 | 1 | 412 / 500 |"))
        #expect(markdown.contains("directory-read-failed"))
        // Every collapsed section is closed.
        #expect(markdown.components(separatedBy: "<details>").count == markdown.components(separatedBy: "</details>").count)
    }

    @Test(arguments: [1_000, 5_000, 20_000])
    func smallerLimitsAreRespected(limit: Int) {
        let plan = Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [Self.manyPeople(1_000)])
        let markdown = PlanRenderer.markdown(plan, maxCharacters: limit)
        #expect(markdown.utf16.count <= limit)
        #expect(markdown.contains("not shown"))
    }

    @Test func aLimitBelowTheSummaryStillHolds() {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants, maxCharacters: 400)
        #expect(markdown.utf16.count <= 400)
        #expect(markdown.hasPrefix("**stoicprov plan**"))
        #expect(markdown.contains("cut to fit a comment"))
    }
}
