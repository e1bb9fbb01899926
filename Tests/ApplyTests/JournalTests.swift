import Apply
import Foundation
import Live
import Operations
import Planner
import TestSupport
import Testing

@Suite struct JournalTests {
    @Test func oneLinePerChangeOutcomeWithoutSecrets() async throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let fake = WriteFake()
        fake.inject("POST /users", .status(403))
        fake.edit { $0.organizations = [(id: "org_1", externalID: "pg", name: "P&G")] }
        let org = Change(
            id: "workos/organization/pg", kind: .create,
            action: .createOrganization(externalID: "pg", name: "P&G", domains: ["pg.com"]), reason: "new tenant")
        let thePlan = plan(tenantPlan([org] + personChanges("ana@pg.com")))
        let options = ApplyOptions(workspace: workspace, owner: "ana.engineer")
        _ = await Executor(clients: fake.clients(), options: options).apply(thePlan)

        let path = workspace.appendingPathComponent(".stoicprov/journal/pg.jsonl")
        let entries = try Journal.entries(at: path)
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.changeID, $0) })
        #expect(entries.count == 4)
        #expect(byID["workos/organization/pg"]?.outcome == "adopted")
        #expect(byID["workos/organization/pg"]?.httpStatus == 400)
        #expect(byID["thinkific/user/ana@pg.com"]?.outcome == "failed")
        #expect(byID["thinkific/user/ana@pg.com"]?.httpStatus == 403)
        #expect(byID["thinkific/user/ana@pg.com"]?.action == "create_thinkific_user")
        #expect(byID["thinkific/user/ana@pg.com"]?.subject == "ana@pg.com")
        #expect(byID["thinkific/enroll/ana@pg.com/c3"]?.outcome == "skipped")
        #expect(entries.allSatisfy { $0.planDigest == Executor.digest(of: thePlan) })
        #expect(entries.allSatisfy { $0.owner == "ana.engineer" }, "every line says who applied")

        let text = try String(contentsOf: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 4)
        for secret in [WriteFake.thinkificKey, WriteFake.workosKey, WriteFake.scimToken] {
            #expect(!text.contains(secret))
        }
        // The credentials were really sent, so their absence from the journal means something.
        #expect(fake.transport.requests.contains { $0.header("X-Auth-API-Key") == WriteFake.thinkificKey })
    }

    @Test func appendsAcrossRunsAndEveryLineIsJSON() async throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let fake = WriteFake()
        for email in ["a@pg.com", "b@pg.com"] {
            _ = await Executor(clients: fake.clients(), options: ApplyOptions(workspace: workspace))
                .apply(plan(tenantPlan(personChanges(email))))
        }
        let data = try Data(contentsOf: workspace.appendingPathComponent(".stoicprov/journal/pg.jsonl"))
        let lines = data.split(separator: 0x0A)
        #expect(lines.count == 6)
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) is [String: Any])
        }
    }
}
