import Apply
import Foundation
import Live
import Operations
import Planner
import Spec
import Testing
import Views

/// Issue 9, class 5: the PR comment and the terminal are places others read. A name or server message holding a
/// mention, a line break, a Markdown heading, an escape sequence and a bell reaches no view as such.
@Suite struct HostileRenderingTests {
    static let hostile = "@stoic/admins\r\n# Approved\u{1b}[2J\u{7}"
    /// Also C1 (CSI as one character), DEL, a bidi override, a line separator and an issue reference.
    static let hostileMore = "x\u{9b}31m\u{7f}\u{202e}evil\u{2028}## Done #12 @octocat"

    // MARK: - What must never get through

    /// No control character (C0 but the newlines between lines, DEL, C1), no bidi control, no line separator.
    static func expectNoControls(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let bad = text.unicodeScalars.filter { scalar in
            let value = scalar.value
            return (value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
        }
        #expect(
            bad.isEmpty, "control characters got through: \(bad.map { String($0.value, radix: 16) })",
            sourceLocation: sourceLocation)
    }

    /// Markdown where the hostile text cannot start a line, mention anyone or reference an issue (outside code
    /// spans, where GitHub makes none of these).
    static func expectInert(_ markdown: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        expectNoControls(markdown, sourceLocation: sourceLocation)
        for line in markdown.split(separator: "\n") {
            #expect(
                !line.hasPrefix("# Approved") && !line.hasPrefix("## Done"), "forged line: \(line)",
                sourceLocation: sourceLocation)
        }
        let prose = withoutCodeSpans(markdown)
        #expect(
            prose.range(of: #"@[A-Za-z0-9]"#, options: .regularExpression) == nil, "a mention got through",
            sourceLocation: sourceLocation)
        #expect(
            prose.range(of: #"#[0-9]"#, options: .regularExpression) == nil, "an issue reference got through",
            sourceLocation: sourceLocation)
    }

    static func withoutCodeSpans(_ markdown: String) -> String {
        markdown.replacingOccurrences(of: #"(`+)[^`]*?\1"#, with: "", options: .regularExpression)
    }

    // MARK: - Plans

    static var hostilePlan: Plan {
        let hostileEmail = "ana@pg.com"
        let tenant = TenantPlan(
            tenant: "pg", name: hostile,
            changes: [
                Change(
                    id: "a", kind: .create, action: .createThinkificGroup(name: hostile),
                    reason: hostileMore),
                Change(
                    id: "b", kind: .create,
                    action: .createThinkificUser(email: hostileEmail, firstName: hostile, lastName: hostileMore),
                    reason: "joined \(hostile)"),
                Change(
                    id: "c", kind: .remove,
                    action: .removeSCIMMember(
                        app: "insights", group: hostileMore, groupID: "g", userName: "ben@pg.com", userID: "u"),
                    reason: "left \(hostile)"),
            ],
            manualSteps: [ManualStep(destination: .thinkific, description: hostile, reason: hostileMore)],
            errors: [PlanProblem(code: hostile, message: hostileMore)],
            warnings: [PlanProblem(code: "w", message: "ask @stoic/admins about ben@pg.com \(hostile)")],
            seats: SeatUsage(entitled: 1, licensed: 5), removalGuard: RemovalGuard(removals: 1, provisioned: 2, threshold: 1))
        var plan = Plan(createdAt: Date(timeIntervalSince1970: 1_795_000_000), workspaceDigest: "", tenants: [tenant])
        plan.tenants[0].summary = AccessSummary(plan.tenants[0])
        return plan.pseudonymised(with: Pseudonym(key: Array("k".utf8)))
    }

    @Test(arguments: [EmailDisplay.masked, .named, .full])
    func pullRequestCommentIsInert(display: EmailDisplay) {
        let markdown = PlanRenderer.markdown(Self.hostilePlan, display: display)
        Self.expectInert(markdown)
        #expect(markdown.contains("Approved"), "the text is shown, made harmless, not dropped")
    }

    @Test(arguments: [false, true])
    func planTextIsOneLinePerItem(byPerson: Bool) {
        let text = PlanRenderer.text(Self.hostilePlan, color: false, byPerson: byPerson)
        Self.expectNoControls(text)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("# Approved") || $0.hasPrefix("## Done") })
        #expect(text.contains("@stoic/admins  # Approved?[2J?"))
    }

    @Test func demoNarrationIsOneLinePerItem() {
        let plan = Self.hostilePlan
        let lines = DemoNarration.changes(plan, width: 80) + DemoNarration.counts(plan) + DemoNarration.samples(plan, limit: 5)
        for line in lines { Self.expectNoControls(line) }
    }

    @Test func applyReportShowsServerMessagesOnOneLine() throws {
        let json = """
            {"tenants": [
              {"tenant": "pg", "refusal": \(Self.jsonString(Self.hostile)), "changes": [], "requests": {}, "seconds": 1},
              {"tenant": "nw", "changes": [
                {"changeID": \(Self.jsonString(Self.hostileMore)), "destination": "thinkific", "action": "enroll",
                 "subject": "x", "outcome": {"failed": {"reason": \(Self.jsonString(Self.hostile))}}, "attempts": 1,
                 "seconds": 0.1}], "requests": {}, "seconds": 1}
            ], "seconds": 2}
            """
        let report = try JSONDecoder().decode(ApplyReport.self, from: Data(json.utf8))
        let text = ApplyReportText.render(report)
        Self.expectNoControls(text)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("# Approved") })
        #expect(text.contains("failed"))
    }

    @Test func describeSheetIsInert() {
        let here = Spec.SourceLocation(file: "tenants/acme.yaml", line: 1, column: 1)
        let tenant = Tenant(
            id: "acme", name: Self.hostile, domains: ["acme.com"], sso: .okta, directory: .workos, seats: 50,
            program: Program(
                starts: CalendarDate(year: 2026, month: 9, day: 1), ends: CalendarDate(year: 2027, month: 3, day: 31)),
            access: [
                AccessRule(
                    name: "learners", idpGroups: [Self.hostileMore], thinkific: ThinkificGrant(courses: ["one"]),
                    scim: [SCIMGrant(connection: "insights", groups: [Self.hostile])], location: here)
            ], file: "tenants/acme.yaml", locations: .init(tenant: here, seats: here, program: here))
        let organization = WorkOSOrganization(
            id: Self.hostile, name: Self.hostileMore, externalID: "acme",
            domains: [WorkOSDomain(domain: Self.hostile, state: Self.hostileMore)])
        let live = LiveWorkOS(
            organization: organization,
            connections: [
                SSOConnection(id: "c", name: Self.hostile, connectionType: Self.hostileMore, state: Self.hostile)
            ],
            directories: [
                LiveDirectory(
                    directory: WorkOSDirectory(id: "d", name: Self.hostileMore, type: Self.hostile, state: Self.hostileMore),
                    groups: [Self.hostile], people: 3, activePeople: 2)
            ])
        var plan = Self.hostilePlan.tenants[0]
        plan.tenant = "acme"
        let sheet = HandoffSheet(
            tenant: tenant, removal: .expire, connections: ["insights", "thinkific", "workos"], workos: live,
            workosFailure: nil, plan: plan)
        Self.expectInert(sheet.markdown)
    }

    // MARK: - The sanitiser itself

    @Test func sanitizerKeepsOrdinaryTextAsItIs() {
        for text in ["Ana García", "P&G 2026", "Émilie · 🙂 — “quoted”", "a…@pg.com"] {
            #expect(Sanitizer.line(text) == text)
        }
        #expect(Sanitizer.line("a\r\nb\tc\u{1b}d\u{9b}e") == "a  b c?d?e")
        #expect(Sanitizer.codeSpan("a`b``c") == "```a`b``c```")
        #expect(Sanitizer.codeSpan("`x") == "`` `x ``")
        #expect(Sanitizer.markdown("@team #12") == "@\u{2060}team \\#\u{2060}12")
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
