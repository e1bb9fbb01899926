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
        #expect(markdown.contains("a***@pg.com"))
    }

    @Test func unmasked() {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants, showEmails: true)
        assertSnapshot(markdown, named: "markdown-three-tenants-unmasked")
        #expect(markdown.contains("ana@pg.com (Ana Garcia)"))
    }

    @Test func verdictComesFirst() {
        let firstLine = PlanRenderer.markdown(RenderFixtures.threeTenants).split(separator: "\n").first.map(String.init)
        #expect(
            firstLine
                == "**stoicprov plan**: 3 tenants, 7 to create, 2 to update, 5 to remove — ❌ 1 tenant has errors "
                + "— ⚠ 1 tenant needs --allow-mass-removal")
    }

    @Test func removalsAreListedFirstInEachTenantsDetails() throws {
        let markdown = PlanRenderer.markdown(RenderFixtures.threeTenants)
        let details = try #require(markdown.range(of: "<details><summary>pg"))
        let lines = markdown[details.upperBound...].split(separator: "\n").filter {
            $0.hasPrefix("+ ") || $0.hasPrefix("- ") || $0.hasPrefix("~ ")
        }
        let pgLines = lines.prefix(RenderFixtures.pg.changes.count)
        #expect(pgLines.prefix(2).allSatisfy { $0.hasPrefix("- ") })
        #expect(pgLines.dropFirst(2).allSatisfy { !$0.hasPrefix("- ") })
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
                id: "x", destination: "insights", kind: .create,
                action: .createSCIMGroup(app: "insights", displayName: "<script>"), reason: "named by `rule` ```")
        ]
        tenant.manualSteps = [
            ManualStep(destination: "thinkific", description: "rename group *x* | <b>y</b>", reason: "ask ana@pg.com")
        ]
        let markdown = PlanRenderer.markdown(Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [tenant]))
        // Outside the code block (where text is literal) no tag survives.
        let prose = markdown.components(separatedBy: "````diff").first ?? ""
        #expect(!prose.contains("<script>"))
        #expect(!prose.contains("<b>"))
        #expect(markdown.contains("A\\|B &lt;script&gt;alert\\(1\\)&lt;/script&gt;"))
        #expect(markdown.contains("rename group \\*x\\* \\| &lt;b&gt;y&lt;/b&gt; (ask `a***@pg.com`)"))
        // The change line holds a run of three backticks, so its code fence is four long.
        #expect(markdown.contains("````diff\n+ insights: create group <script> (named by `rule` ```)\n````\n"))
    }

    @Test func hugePlanIsCutBelowTheLimitWithANote() throws {
        var tenant = RenderFixtures.pg
        let people = (0..<5_000).map { "person\($0)@pg.com" }
        tenant.changes =
            people.map { email in
                Change(
                    id: "thinkific/enroll/\(email)", destination: "thinkific", kind: .create,
                    action: .enroll(
                        email: email, userID: nil, courseSlug: "conscious-leadership-foundations", courseID: 101,
                        activatedAt: "2026-05-04", expiryDate: "2026-12-18"),
                    reason: "joined SG-Stoic-Learners")
            } + [
                Change(
                    id: "thinkific/expire/zed@pg.com", destination: "thinkific", kind: .remove,
                    action: .expireEnrollment(
                        email: "zed@pg.com", enrollmentID: 1, courseSlug: "leading-teams", expiryDate: "2026-11-18"),
                    reason: "left SG-Stoic-Managers")
            ]
        let plan = Plan(
            createdAt: RenderFixtures.createdAt, workspaceDigest: "",
            tenants: [tenant, RenderFixtures.northwind, RenderFixtures.contoso])
        let markdown = PlanRenderer.markdown(plan)
        #expect(markdown.utf16.count <= 60_000)
        #expect(markdown.utf16.count > 55_000)  // cut, not emptied
        let shown = markdown.split(separator: "\n").filter {
            ($0.hasPrefix("+ ") || $0.hasPrefix("- ") || $0.hasPrefix("~ ")) && !$0.hasPrefix("- **")
        }
        let total = plan.tenants.reduce(0) { $0 + $1.changes.count }
        #expect(shown.count > 300)
        #expect(
            markdown.contains(
                "… \((total - shown.count).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) more changes not shown"
            ))
        #expect(markdown.contains("run `stoicprov show plan.json` for the full plan"))
        // Removals of every tenant survive the cut; the summary and errors are whole.
        #expect(markdown.contains("- thinkific: expire z***@pg.com in leading-teams"))
        #expect(markdown.contains("- insights: deactivate g***@northwind.com"))
        #expect(markdown.contains("| pg — Procter &amp; Gamble | thinkific | 5,000 | 0 | 1 | 1 | 412 / 500 |"))
        #expect(markdown.contains("directory-read-failed"))
        // Every collapsed section is closed.
        #expect(markdown.components(separatedBy: "<details>").count == markdown.components(separatedBy: "</details>").count)
    }

    @Test(arguments: [1_000, 5_000, 20_000])
    func smallerLimitsAreRespected(limit: Int) {
        var tenant = RenderFixtures.pg
        tenant.changes = Array(repeating: tenant.changes, count: 200).flatMap { $0 }
        let plan = Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [tenant])
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
