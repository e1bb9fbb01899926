import Foundation
import Planner
import Sandbox
import Spec
import TestSupport
import Testing

/// `stoicprov plan` and `stoicprov show` end to end: the built binary against an in-process sandbox over real
/// loopback HTTP, its output compared with golden files.
@Suite struct PlanCommandTests {
    static let examples = BinaryRunner.root.appendingPathComponent("examples").path

    static func plan(
        _ sandbox: PlanSandbox, _ arguments: [String] = [], workspace: String = examples
    ) throws
        -> BinaryRunner.Result
    {
        try BinaryRunner.run(["plan", workspace, "--sandbox", sandbox.url] + arguments)
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    // MARK: - The example workspace against the default seed

    @Test func textPlanOfTheExamplesMatchesTheGolden() throws {
        let sandbox = try PlanSandbox()
        let result = try Self.plan(sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(sandbox.url) && !result.stdout.contains(":\(sandbox.server.port ?? 0)"))
        assertSnapshot(result.stdout, named: "plan-examples-default-seed")
    }

    @Test func jsonPlanDecodesWithTheExpectedCounts() throws {
        let sandbox = try PlanSandbox()
        let result = try Self.plan(sandbox, ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try Plan.decode(from: Data(result.stdout.utf8))
        #expect(plan.tenants.map(\.tenant) == ["contoso", "northwind", "pg"])
        let counts = Dictionary(uniqueKeysWithValues: plan.tenants.map { ($0.tenant, $0.counts) })
        // contoso: organization + 25 users, 50 enrollments on Thinkific, 25 users + group + 25 members on insights.
        #expect(counts["contoso"].map { [$0.create, $0.update, $0.remove] } == [127, 0, 0])
        #expect(counts["pg"].map { [$0.create, $0.update, $0.remove] } == [260, 0, 0])
        #expect(plan.counts.total == plan.tenants.map(\.counts.total).reduce(0, +))
        #expect(plan.counts.remove == 0 && plan.counts.update == 0)
        #expect(plan.tenants.allSatisfy { $0.errors.isEmpty })
        #expect(plan.tenants.first { $0.tenant == "pg" }?.seats == SeatUsage(entitled: 46, licensed: 500))
    }

    @Test func markdownMasksEmailsUnlessAsked() throws {
        let sandbox = try PlanSandbox()
        let masked = try Self.plan(sandbox, ["--format", "markdown", "--tenant", "pg"])
        #expect(masked.status == 0, "\(masked.stderr)")
        #expect(masked.stdout.contains("a…@pg.com"))
        #expect(!masked.stdout.contains("ana.garcia@pg.com"))
        #expect(masked.stdout.range(of: #"[a-z]+\.[a-z]+@pg\.com"#, options: .regularExpression) == nil)
        let shown = try Self.plan(sandbox, ["--format", "markdown", "--tenant", "pg", "--show-emails"])
        #expect(shown.stdout.contains("ana.garcia@pg.com"))
    }

    @Test func savedPlanShowsTheSameTextAndJSON() throws {
        let sandbox = try PlanSandbox()
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plan.json").path
        let planned = try Self.plan(sandbox, ["--out", file])
        #expect(planned.status == 0, "\(planned.stderr)")
        let shown = try BinaryRunner.run(["show", file])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout == planned.stdout)
        let json = try BinaryRunner.run(["show", file, "--format", "json"])
        #expect(try Plan.decode(from: Data(json.stdout.utf8)) == Plan.decode(from: Data(contentsOf: URL(fileURLWithPath: file))))
        // Nothing secret reaches the saved plan.
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        for secret in [SandboxDefaults.thinkificAPIKey, SandboxDefaults.workosAPIKey, SandboxDefaults.scimToken(app: "insights")]
        {
            #expect(!saved.contains(secret) && !planned.stdout.contains(secret) && !planned.stderr.contains(secret))
        }
    }

    @Test func outIntoAMissingDirectoryFailsWithTheReason() throws {
        let sandbox = try PlanSandbox()
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("missing/plan.json").path
        let result = try Self.plan(sandbox, ["--tenant", "pg", "--out", file])
        #expect(result.status == 1)
        #expect(result.stderr == "stoicprov plan: cannot write \(FileProblem.notFound.message(path: file))\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func detailedExitcodeIsTwoWithChanges() throws {
        let sandbox = try PlanSandbox()
        let result = try Self.plan(sandbox, ["--tenant", "northwind", "--detailed-exitcode"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.contains("Tenant northwind"))
        #expect(!result.stdout.contains("Tenant pg"))
    }

    // MARK: - A converged tenant, then the directory changes

    @Test func convergedTenantHasNoChangesThenDirectoryChangesShowWithReasons() async throws {
        let world = try ConvergedPG()
        let sandbox = try PlanSandbox(seed: .yaml(world.seed, name: "converged-pg"))
        try await world.createSCIM(in: sandbox)
        let workspace = try world.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }

        let before = try Self.plan(sandbox, ["--tenant", "pg", "--detailed-exitcode"], workspace: workspace.path)
        #expect(before.status == 0, "\(before.stdout)\(before.stderr)")
        #expect(before.stdout.hasPrefix("No changes. The live systems match the workspace.\n"), "\(before.stdout)")

        // Ana moves from learners to managers, Carla from managers to learners, Ben is deactivated, Zed joins.
        try await sandbox.changeDirectoryUser("ana.garcia@pg.com", ["groups": [ConvergedPG.managersGroup]])
        try await sandbox.changeDirectoryUser("carla.bianchi@pg.com", ["groups": [ConvergedPG.learnersGroup]])
        try await sandbox.changeDirectoryUser("ben.okafor@pg.com", ["state": "inactive"])
        try await sandbox.addDirectoryUser([
            "email": "zed.new@pg.com", "first_name": "Zed", "last_name": "New", "groups": [ConvergedPG.learnersGroup],
        ])

        let after = try Self.plan(sandbox, ["--tenant", "pg", "--detailed-exitcode"], workspace: workspace.path)
        #expect(after.status == 2, "\(after.stderr)")
        for line in [
            "+ enroll ana.garcia@pg.com in leading-teams until 2099-12-18 (joined SG-Stoic-Managers)",
            "- expire carla.bianchi@pg.com in leading-teams (left SG-Stoic-Managers)",
            "! manual: remove ben.okafor@pg.com from Thinkific group \"P&G 2026\"",
            "+ create user zed.new@pg.com (Zed New) (joined SG-Stoic-Learners)",
            "+ enroll zed.new@pg.com in conscious-leadership-foundations until 2099-12-18 (joined SG-Stoic-Learners)",
        ] {
            #expect(after.stdout.contains(line), "missing: \(line)")
        }
        #expect(!after.stdout.contains("expire ana.garcia"), "Ana is still entitled to the foundations course")
        assertSnapshot(after.stdout, named: "plan-directory-changed")
    }

    // MARK: - Requests: the fewest the APIs allow

    @Test func requestsMadeAreTheFewestTheAPIsAllowAndMatchTheSandboxCounters() async throws {
        let world = try ConvergedPG(extraLearners: 260)
        let sandbox = try PlanSandbox(seed: .yaml(world.seed, name: "paged-pg"))
        try await world.createSCIM(in: sandbox)
        let workspace = try world.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let seeding = try await sandbox.requestsPerSurface()

        let result = try Self.plan(sandbox, ["--tenant", "pg", "--format", "json"], workspace: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try Plan.decode(from: Data(result.stdout.utf8))
        let tenant = try #require(plan.tenants.first)
        #expect(tenant.changes.isEmpty, "\(tenant.changes.map(\.action.description))")

        // The sandbox counted exactly what the plan says it made.
        let served = try await sandbox.requestsPerSurface()
        let requests = tenant.observationRequests
        #expect(served["thinkific", default: 0] - seeding["thinkific", default: 0] == requests["thinkific"])
        #expect(served["workos", default: 0] - seeding["workos", default: 0] == requests["workos"])
        #expect(
            served["scim", default: 0] - seeding["scim", default: 0]
                == requests["insights", default: 0] + requests["dashboard", default: 0])

        // And that is the minimum the data sizes allow: pages of 250 on Thinkific, 100 on WorkOS, 1,000 on SCIM.
        func pages(_ items: Int, _ size: Int) -> Int { max(1, (items + size - 1) / size) }
        let learnersInDirectory = world.directory.filter { $0.groups.contains(ConvergedPG.learnersGroup) }.count
        let managersInDirectory = world.directory.filter { $0.groups.contains(ConvergedPG.managersGroup) }.count
        let workosMinimum =
            1 + 1 + 1  // organization by external_id, its connections, its directories
            + pages(3, 100)  // the directory's groups
            + pages(learnersInDirectory, 100) + pages(managersInDirectory, 100)  // members of each mapped group
        let thinkificMinimum =
            pages(3, 250) + pages(1, 250)  // courses, groups
            + pages(world.entitled.count, 250) + pages(world.managers.count, 250)  // enrollments per managed course
            + pages(world.entitled.count, 250)  // members of "P&G 2026"; every user is known from these listings
        // ServiceProviderConfig, the app's user listing (it holds only P&G), groups learners and managers by `eq`.
        let insightsMinimum = 1 + pages(world.entitled.count, 1000) + 2
        let dashboardMinimum = 1 + pages(world.managers.count, 1000) + 1
        #expect(learnersInDirectory == 292 && world.entitled.count == 307)
        #expect(
            requests
                == [
                    "workos": workosMinimum, "thinkific": thinkificMinimum, "insights": insightsMinimum,
                    "dashboard": dashboardMinimum,
                ])
        #expect(requests["workos"] == 8 && requests["thinkific"] == 7)
    }

    // MARK: - Failures through the binary

    @Test func missingEnvironmentVariableNamesItAndNoValue() throws {
        let result = try BinaryRunner.run(
            ["plan", Self.examples, "--tenant", "pg"],
            environment: ["WORKOS_API_KEY": "", "THINKIFIC_API_KEY": "tk-visible-value", "INSIGHTS_SCIM_TOKEN": ""])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("WORKOS_API_KEY") || result.stderr.contains("INSIGHTS_SCIM_TOKEN"), "\(result.stderr)")
        #expect(!result.stderr.contains("tk-visible-value"))
        #expect(result.stderr.split(separator: "\n").count <= 2, "\(result.stderr)")
    }

    @Test func unknownTenantSuggestsTheClosest() throws {
        let sandbox = try PlanSandbox()
        let result = try Self.plan(sandbox, ["--tenant", "northwnd"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no tenant 'northwnd'") && result.stderr.contains("did you mean 'northwind'?"))
        #expect(result.stdout.isEmpty)
    }

    @Test func brokenWorkspaceGivesPositionedDiagnostics() throws {
        let sandbox = try PlanSandbox()
        let broken = BinaryRunner.root.appendingPathComponent("Tests/SpecTests/Fixtures/brokenWorkspaceDiagnostics").path
        let result = try Self.plan(sandbox, [], workspace: broken)
        #expect(result.status == 1)
        #expect(result.stderr.range(of: #"tenants/acme\.yaml:\d+:\d+: error: "#, options: .regularExpression) != nil)
        #expect(result.stderr.contains("run 'stoicprov validate"))
        #expect(sandbox.server.connectionsAccepted == 0, "a broken workspace must not be planned at all")
    }

    @Test(arguments: [["--bogus"], ["--format", "yaml"], ["--tenant"], ["a", "b"]])
    func badFlagsAreUsageErrors(arguments: [String]) throws {
        let result = try BinaryRunner.run(["plan"] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("usage") || result.stderr.contains("stoicprov plan"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unreachableSandboxIsOneClearLine() throws {
        // The port of a sandbox that has stopped: nothing listens there any more.
        let sandbox = try PlanSandbox()
        let url = sandbox.url
        sandbox.server.stop()
        let result = try BinaryRunner.run(["plan", Self.examples, "--tenant", "pg", "--sandbox", url, "--detailed-exitcode"])
        #expect(result.status == 1)
        #expect(result.exitedNormally)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("stoicprov plan: cannot reach 127.0.0.1") == true, "\(result.stderr)")
    }

    @Test func failingWorkOSIsAnErrorInThePlanWithNoRemovals() async throws {
        let world = try ConvergedPG()
        let sandbox = try PlanSandbox(seed: .yaml(world.seed, name: "converged-pg"), faults: try FaultPlan.parse("workos:503=1"))
        try await world.createSCIM(in: sandbox)
        let workspace = try world.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try Self.plan(sandbox, ["--tenant", "pg"], workspace: workspace.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[observation-failed]") || result.stdout.contains("error[directory-read-failed]"))
        #expect(!result.stdout.contains("    - "), "\(result.stdout)")
        #expect(result.stdout.contains("the plan cannot be applied"))
    }

    @Test func failedDirectoryReadIsAnErrorNotMassRemoval() async throws {
        let world = try ConvergedPG()
        let sandbox = try PlanSandbox(seed: .yaml(world.seed, name: "converged-pg"))
        try await world.createSCIM(in: sandbox)
        let workspace = try world.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // Everyone leaves the directory at once, as a broken IdP push would show it.
        for person in world.activeDirectory {
            try await sandbox.request("DELETE", "/_sandbox/workos/directories/pg/users/\(person.email)")
        }
        let result = try Self.plan(sandbox, ["--tenant", "pg", "--format", "json"], workspace: workspace.path)
        #expect(result.status == 1)
        let plan = try Plan.decode(from: Data(result.stdout.utf8))
        let tenant = try #require(plan.tenants.first)
        #expect(tenant.errors.map(\.code).contains("directory-empty"), "\(tenant.errors)")
        #expect(tenant.counts.remove == 0, "\(tenant.changes.filter { $0.kind == .remove }.map(\.action.description))")
    }
}
