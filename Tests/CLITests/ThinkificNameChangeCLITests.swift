import Foundation
import Testing

/// A name changed in the directory reaches Thinkific (issue 10): plan → apply → plan converges, under the kind sandbox
/// and the Thinkific vendor profile.
@Suite struct ThinkificNameChangeCLITests {
    @Test(arguments: [["--rate-limit", "none"], ["--profile", "thinkific=vendor", "--rate-limit", "thinkific=6000/min"]])
    func aLastNameChangedInTheDirectoryIsAppliedAndConverges(sandbox: [String]) async throws {
        let fixture = try ApplyCLIFixture(sandbox: sandbox)
        let first = try fixture.run(["apply", ".", "--tenant", "pg", "--auto-approve"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        let email = "ana.garcia@pg.com"
        let patched = try await fixture.control(
            "PATCH", "workos/directories/pg/users/\(email)", json: #"{"last_name":"García-Ruiz"}"#)
        try #require(patched.status == 200, "\(patched.body)")

        let plan = try fixture.run(["plan", "--tenant", "pg", "--out", "names.json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let ids = try fixture.changeIDs(ofPlan: "names.json")["pg"] ?? []
        #expect(ids.contains("thinkific/update-user/\(email)"), "\(ids)")
        #expect(plan.stdout.contains("name changed in the IdP"), "\(plan.stdout)")

        let apply = try fixture.run(["apply", "names.json"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let user = try await fixture.clients().thinkific?.user(email: email)
        #expect(user?.lastName == "García-Ruiz")
        #expect(user?.firstName == "Ana")

        let again = try fixture.run(["plan", "--tenant", "pg", "--detailed-exitcode"])
        #expect(again.status == 0 && again.stdout.contains("No changes"), "\(again.stdout)")
        #expect(try await fixture.liveDuplicates() == [:])
    }
}
