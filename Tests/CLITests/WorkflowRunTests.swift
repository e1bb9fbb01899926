import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `stoicprov …` lines of `examples/github/`'s workflows, run in the order the workflows run them — pull request
/// (validate, plan into a comment), merge (apply per tenant), nightly (drift plan) — against a sandbox process, on a
/// copy of the example workspace checked out as a repository would be (the workflows' `WORKSPACE: .`).
@Suite struct WorkflowRunTests {
    /// The repository: a temporary directory holding a copy of the example workspace.
    static func checkout() throws -> URL {
        let repository = try Scratch.examples("stoicprov-wf", only: ["stoicprov.yaml", "tenants", "rosters"])
        // A rehearsal against a sandbox without a rate limit: Thinkific's client-side pacing raised, as a team trying
        // the loop on a branch would, so the apply takes seconds instead of minutes.
        let config = repository.appendingPathComponent("stoicprov.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
        let raised = text.replacingOccurrences(of: "requests_per_minute: 120", with: "requests_per_minute: 60000")
        #expect(raised != text, "examples/stoicprov.yaml no longer sets Thinkific's requests_per_minute")
        try raised.write(to: config, atomically: true, encoding: .utf8)
        return repository
    }

    /// The marker the plan workflow's script puts in front of the plan to find its comment again.
    static func commentMarker() throws -> String {
        let workflow = try WorkflowTests.workflow("stoicprov-plan.yml")
        let scripts = WorkflowTests.steps(of: workflow).compactMap { $0.step["with"]?["script"]?.string }
        let script = try #require(scripts.first { $0.contains("const marker = '") })
        let start = try #require(script.range(of: "const marker = '"))
        return String(script[start.upperBound...].prefix { $0 != "'" })
    }

    /// What an IdP pushes when a person's groups change: through the sandbox's control surface.
    static func setGroups(_ groups: [String], of email: String, directory: String, sandbox: String) async throws -> Int {
        let url = try #require(URL(string: "\(sandbox)/_sandbox/workos/directories/\(directory)/users/\(email)"))
        var request = URLRequest(url: url)
        request.httpMethod = "PATCH"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["groups": groups])
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func commandsRunInTheWorkflowsOrderAgainstASandbox() async throws {
        let repository = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: repository) }
        let sandbox = try SandboxProcess(arguments: ["--rate-limit", "none"])
        defer { sandbox.stop() }

        // What changed-tenants.sh answers for a pull request that adds the whole workspace: every tenant.
        let tenants = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("tenants").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(tenants == ["contoso", "northwind", "pg"])
        let lines = try WorkflowTests.commandLines(
            workspace: ".", tenantArguments: tenants.map { "--tenant \($0)" }.joined(separator: " "), tenant: "{tenant}")
        let pullRequest = lines.filter { $0.file.hasSuffix("/stoicprov-plan.yml") }
        // A push to main does not tick allow-mass-removal: the `else` branch runs.
        let merge = lines.filter { $0.file.hasSuffix("/stoicprov-apply.yml") && !$0.arguments.contains("--allow-mass-removal") }
        let nightly = lines.filter { $0.file.hasSuffix("/stoicprov-drift.yml") }
        #expect(pullRequest.map { $0.arguments[0] } == ["validate", "plan"], "\(pullRequest)")
        #expect(merge.map { $0.arguments[0] } == ["apply"], "\(merge)")
        #expect(nightly.map { $0.arguments[0] } == ["plan"], "\(nightly)")
        guard pullRequest.count == 2, merge.count == 1, nightly.count == 1 else { return }

        /// Runs a workflow line in the repository; commands that reach the live systems get `--sandbox URL`.
        func run(_ line: WorkflowTests.CommandLine, tenant: String = "") throws -> BinaryRunner.Result {
            var arguments = line.arguments.map { $0.replacingOccurrences(of: "{tenant}", with: tenant) }
            if arguments[0] != "validate" { arguments += ["--sandbox", sandbox.url] }
            return try BinaryRunner.run(arguments, in: repository, timeout: 120)
        }

        // Pull request: validate, then the plan whose Markdown becomes the comment and whose JSON is kept.
        let validate = try run(pullRequest[0])
        #expect(validate.status == 0, "\(pullRequest[0])\n\(validate.stdout)\(validate.stderr)")
        #expect(!validate.stdout.contains("::error"))
        let plan = try run(pullRequest[1])
        #expect(plan.status == 0, "\(pullRequest[1])\n\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("**stoicprov plan**: 3 tenants, "), "\(plan.stdout.prefix(300))")
        #expect(!plan.stdout.contains("ana.garcia@pg.com"), "emails are masked in the comment")
        let marker = try Self.commentMarker()
        #expect(marker == "<!-- stoicprov-plan -->")
        let comment = "\(marker)\n\(plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
        #expect(comment.utf16.count <= 65000, "the workflow's slice(0, 65000) would cut the plan")
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: repository.appendingPathComponent("plan.json")))
        let savedTenants = ((saved as? [String: Any])?["tenants"] as? [[String: Any]])?.compactMap { $0["tenant"] as? String }
        #expect(savedTenants == tenants)

        // Merge: one apply job per tenant of the matrix.
        for tenant in tenants {
            let apply = try run(merge[0], tenant: tenant)
            #expect(apply.status == 0, "\(merge[0]) for \(tenant)\n\(apply.stdout)\(apply.stderr)")
        }

        // Nightly: live state matches the specs, so no drift.
        let quiet = try run(nightly[0])
        #expect(quiet.status == 0, "\(nightly[0])\n\(quiet.stdout)\(quiet.stderr)")
        #expect(quiet.stdout.contains("no changes"), "\(quiet.stdout.prefix(300))")

        // A manager leaves SG-Stoic-Managers (staying a learner): the next nightly plan finds drift and says why.
        let status = try await Self.setGroups(
            ["SG-Stoic-Learners"], of: "ivy.nguyen@pg.com", directory: "pg", sandbox: sandbox.url)
        #expect(status == 200)
        let drift = try run(nightly[0])
        #expect(drift.status == 2, "\(nightly[0])\n\(drift.stdout)\(drift.stderr)")
        #expect(drift.stdout.contains("left SG-Stoic-Managers → managers: lose thinkific leading-teams"), "\(drift.stdout)")
        #expect(FileManager.default.fileExists(atPath: repository.appendingPathComponent("drift.json").path))
    }
}
