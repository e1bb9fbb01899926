import Apply
import Foundation
import Live
import Operations
import Sandbox
import Spec
import TestSupport
import Testing
import Views

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The clock seam: `STOICPROV_NOW` read by the binary, the demo's choice of clock, and the demo passing on a day
/// after every example programme has ended.
@Suite struct ClockTests {
    static let examples = WorkspaceLoader.load(directory: BinaryRunner.root.appendingPathComponent("examples").path)
        .workspace

    static func instant(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle().parse(text)
    }

    // MARK: - The demo's choice (pure)

    @Test(arguments: ["2026-05-04T00:00:00Z", "2026-11-27T12:00:00Z", "2026-12-18T22:00:00Z"])
    func theDemoRunsOnTodayWhilePGsProgrammeRuns(today: String) throws {
        let workspace = try #require(Self.examples)
        #expect(DemoClock.choose(today: try Self.instant(today), workspace: workspace) == .today)
    }

    @Test(arguments: ["2026-05-03T23:59:59Z", "2026-12-18T23:30:00Z", "2026-12-19T00:00:00Z", "2027-06-01T12:00:00Z"])
    func outsidePGsProgrammeTheDemoPinsToTheReferenceDay(today: String) throws {
        let workspace = try #require(Self.examples)
        let pg = try #require(workspace.tenant(id: "pg"))
        let choice = DemoClock.choose(today: try Self.instant(today), workspace: workspace)
        #expect(choice == .pinned(at: try Self.instant("2026-11-27T12:00:00Z"), tenant: "pg", program: pg.program))
    }

    @Test func aProgrammeWithoutTheReferenceDayPinsToNoonOnItsFirstDay() throws {
        var workspace = try #require(Self.examples)
        let index = try #require(workspace.tenants.firstIndex { $0.id == "pg" })
        let program = Program(starts: try #require(CalendarDate("2030-02-01")), ends: try #require(CalendarDate("2030-02-01")))
        workspace.tenants[index].program = program
        let choice = DemoClock.choose(today: try Self.instant("2026-11-27T12:00:00Z"), workspace: workspace)
        #expect(choice == .pinned(at: try Self.instant("2030-02-01T12:00:00Z"), tenant: "pg", program: program))
    }

    @Test func aWorkspaceWithoutTheScenarioTenantKeepsToday() throws {
        let workspace = try #require(Self.examples)
        let today = try Self.instant("2031-01-01T00:00:00Z")
        #expect(DemoClock.choose(today: today, workspace: workspace, tenant: "acme") == .today)
        #expect(DemoClock.choose(today: today, workspace: nil) == .today)
    }

    @Test func thePinnedClockIsNarratedWithWhereTodayCameFrom() throws {
        let workspace = try #require(Self.examples)
        let today = try Self.instant("2027-06-01T12:00:00Z")
        let choice = DemoClock.choose(today: today, workspace: workspace)
        let line = try #require(choice.narration(today: today, source: "STOICPROV_NOW"))
        #expect(
            line
                == "pg's programme (2026-05-04 to 2026-12-18) is not running on 2027-06-01 (STOICPROV_NOW), so the "
                + "demo's clock is set to 2026-11-27, when it is.")
        #expect(DemoClock.today.narration(today: today) == nil)
    }

    // MARK: - The binary

    @Test func theDemoPassesAfterEveryExampleProgrammeHasEnded() throws {
        let result = try BinaryRunner.run(["demo"], environment: ["STOICPROV_NOW": "2027-06-01T12:00:00Z"], timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let text = DemoTests.logicalLines(result.stdout).joined(separator: "\n")
        let joined = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(joined.contains("not running on 2027-06-01 (STOICPROV_NOW), so the demo's clock is set to 2026-11-27"))
        #expect(joined.contains("- expire ivy.nguyen@pg.com in "), "\(result.stdout)")
        for line in result.stdout.split(separator: "\n") { #expect(line.count <= 80, "too wide: \(line)") }
    }

    @Test func theDemoSaysNothingAboutItsClockInsideTheProgramme() throws {
        let result = try BinaryRunner.run(["demo"], environment: ["STOICPROV_NOW": "2026-12-01T09:00:00Z"], timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(!result.stdout.contains("clock is set"), "\(result.stdout)")
    }

    @Test(arguments: [["plan", "examples"], ["sandbox"], ["demo"], ["new", "acme", "--idp", "okta", "--domain", "acme.com"]])
    func aMalformedNowIsAUsageErrorNamingTheVariable(arguments: [String]) throws {
        let result = try BinaryRunner.run(arguments, environment: ["STOICPROV_NOW": "next tuesday"])
        #expect(result.status == 64, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("STOICPROV_NOW") && result.stderr.contains("'next tuesday'"), "\(result.stderr)")
    }

    @Test func planRecordsTheGivenNow() throws {
        let sandbox = try PlanSandbox()
        let result = try BinaryRunner.run(
            ["plan", "examples", "--tenant", "pg", "--sandbox", sandbox.url, "--format", "json"],
            environment: ["STOICPROV_NOW": "2031-03-01T08:30:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let created = try #require(json["created_at"] as? String)
        #expect(created.hasPrefix("2031-03-01T08:30:0"), "\(created)")
    }

    @Test func newPlacesItsProgrammeAfterTheGivenDay() throws {
        let result = try BinaryRunner.run(
            ["new", "acme", "--idp", "okta", "--domain", "acme.com", "--stdout", "--dir", "examples"],
            environment: ["STOICPROV_NOW": "2031-03-15T08:30:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("starts: 2031-04-01"), "\(result.stdout)")
    }

    @Test func theSandboxProcessRunsOnTheGivenClock() async throws {
        let sandbox = try SandboxProcess(environment: ["STOICPROV_NOW": "2031-03-01T08:30:00Z"])
        defer { sandbox.stop() }
        var request = URLRequest(url: try #require(URL(string: SandboxDefaults.workosBase(sandbox.url) + "/organizations")))
        request.setValue("Bearer " + SandboxDefaults.workosAPIKey, forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let organizations = try #require(body["data"] as? [[String: Any]])
        #expect(!organizations.isEmpty)
        for organization in organizations {
            #expect((organization["created_at"] as? String)?.hasPrefix("2031-03-01T08:3") == true, "\(organization)")
        }
    }
}
