import Foundation
import Planner
import TestSupport
import Testing
import Views

@Suite struct RenderJSONTests {
    @Test func goldenFile() {
        let json = String(decoding: PlanFile.json(RenderFixtures.threeTenants), as: UTF8.self)
        assertSnapshot(json, named: "json-three-tenants")
    }

    @Test(arguments: [RenderFixtures.threeTenants, RenderFixtures.noChanges, RenderFixtures.seatsExceeded])
    func planRoundTrips(plan: Plan) throws {
        #expect(try Plan.decode(from: PlanFile.json(plan)) == plan)
    }

    @Test(arguments: RenderFixtures.everyAction)
    func actionRoundTrips(action: Action) throws {
        let data = try JSONEncoder().encode(action)
        #expect(try JSONDecoder().decode(Action.self, from: data) == action)
    }

    @Test func everyActionTypeIsCovered() {
        #expect(Set(RenderFixtures.everyAction.map(\.kind)) == Set(Action.Kind.allCases))
    }

    @Test func actionIsFlatWithATypeAndSnakeCaseKeys() throws {
        let action = Action.enroll(
            email: "ana@pg.com", userID: nil, courseSlug: "leading-teams", courseID: 101, activatedAt: "2026-05-04",
            expiryDate: "2026-12-18")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(action), as: UTF8.self)
        #expect(
            json
                == #"{"activated_at":"2026-05-04","course_id":101,"course_slug":"leading-teams","email":"ana@pg.com","#
                + #""expiry_date":"2026-12-18","type":"enroll","user_id":null}"#)
    }

    @Test func planKeysAreSnakeCaseAndConnectionNamesKeptAsWritten() throws {
        var tenant = RenderFixtures.contoso
        tenant.observationRequests = ["myDashboard": 2]
        let plan = Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "d", tenants: [tenant])
        let json = String(decoding: PlanFile.json(plan), as: UTF8.self)
        #expect(json.contains(#""format_version" : 3"#))
        #expect(json.contains(#""created_at" : "2026-11-18T11:06:40Z""#))
        #expect(json.contains(#""myDashboard" : 2"#))
        #expect(!json.contains("formatVersion"))
    }

    @Test func newerFormatVersionIsRefused() throws {
        let data = try rewritten(RenderFixtures.threeTenants) { $0["format_version"] = 4 }
        #expect(throws: PlanFormatError.unsupportedFormatVersion(found: 4, supported: 3)) { try Plan.decode(from: data) }
        let message = "\(PlanFormatError.unsupportedFormatVersion(found: 4, supported: 3))"
        #expect(message == "plan format version 4 is newer than this stoicprov reads (version 3); upgrade stoicprov")
    }

    /// Older plans (version 1 carried `observed_digest`; version 2 had no sign-in record, no `unmanaged` and no
    /// `changed` list) are refused, not reinterpreted.
    @Test(arguments: [1, 2]) func olderFormatVersionIsRefused(version: Int) throws {
        let data = try rewritten(RenderFixtures.threeTenants) { $0["format_version"] = version }
        #expect(throws: PlanFormatError.unsupportedFormatVersion(found: version, supported: 3)) { try Plan.decode(from: data) }
        let message = "\(PlanFormatError.unsupportedFormatVersion(found: version, supported: 3))"
        #expect(message.contains("older") && message.contains("plan again"), "\(message)")
    }

    @Test func missingVersionIsNotAPlan() throws {
        let data = try rewritten(RenderFixtures.threeTenants) { $0["format_version"] = nil }
        #expect(throws: PlanFormatError.missingFormatVersion) { try Plan.decode(from: data) }
    }

    @Test func textIsNotJSON() {
        let text = Data(PlanRenderer.text(RenderFixtures.threeTenants, color: false).utf8)
        #expect(throws: PlanFormatError.notJSON) { try Plan.decode(from: text) }
    }

    @Test func aBrokenFieldIsReportedWithItsPath() throws {
        let data = try rewritten(RenderFixtures.threeTenants) { plan in
            var tenants = plan["tenants"] as! [[String: Any]]
            var changes = tenants[0]["changes"] as! [[String: Any]]
            var action = changes[2]["action"] as! [String: Any]
            action["course_id"] = "101"
            changes[2]["action"] = action
            tenants[0]["changes"] = changes
            plan["tenants"] = tenants
        }
        #expect(throws: PlanFormatError.invalid(path: "tenants[0].changes[2].action.course_id", reason: "expected a number")) {
            try Plan.decode(from: data)
        }
    }

    @Test func anUnknownActionTypeIsReported() throws {
        let data = try rewritten(RenderFixtures.threeTenants) { plan in
            var tenants = plan["tenants"] as! [[String: Any]]
            var changes = tenants[1]["changes"] as! [[String: Any]]
            var action = changes[0]["action"] as! [String: Any]
            action["type"] = "delete_organization"
            changes[0]["action"] = action
            tenants[1]["changes"] = changes
            plan["tenants"] = tenants
        }
        #expect(
            throws: PlanFormatError.invalid(
                path: "tenants[1].changes[0].action.type", reason: "unknown action type 'delete_organization'")
        ) { try Plan.decode(from: data) }
    }

    /// The plan's JSON, changed as a dictionary.
    private func rewritten(_ plan: Plan, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: PlanFile.json(plan)) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }
}

@Suite struct PlanFormatDocTests {
    /// The complete example in docs/plan-format.md is a plan this build reads, and writes back the same way.
    @Test func documentedExampleIsAValidPlan() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/plan-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.range(of: "## A complete example"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let plan = try Plan.decode(from: Data(text[start.upperBound..<end.lowerBound].utf8))
        #expect(plan.tenants.map(\.tenant) == ["pg"])
        #expect(
            plan.tenants.first?.changes.first?.action
                == .expireEnrollment(
                    email: "carla@pg.com", enrollmentID: 9002, courseSlug: "leading-teams", expiryDate: "2026-11-18"))
        #expect(try Plan.decode(from: PlanFile.json(plan)) == plan)
    }
}
