import Foundation
import Spec
import TestSupport
import Testing

/// `examples/github/`: every file is YAML the project's own loader accepts; the workflows have the triggers, jobs,
/// permissions and concurrency docs/workflow.md promises; and every `stoicprov …` line in them is real CLI syntax.
@Suite struct WorkflowTests {
    static let github = BinaryRunner.root.appendingPathComponent("examples/github")
    static let workflows = "examples/github/.github/workflows/"

    /// Every YAML file under `examples/github/`, hidden directories included, by path relative to the root.
    static func yamlFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: github.path)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".yml") || relative.hasSuffix(".yaml") { found.append("examples/github/" + relative) }
        }
        return found.sorted()
    }

    static func load(_ relative: String) throws -> Node {
        let data = try Data(contentsOf: BinaryRunner.root.appendingPathComponent(relative))
        var diagnostics = Diagnostics()
        let node = YAMLLoader.load(data, file: relative, diagnostics: &diagnostics)
        #expect(diagnostics.all == [], "\(diagnostics.all)")
        return try #require(node, "\(relative) did not load")
    }

    static func workflow(_ name: String) throws -> Node { try load(workflows + name) }

    /// `(job, step)` for every step of every job.
    static func steps(of workflow: Node) -> [(job: String, step: Node)] {
        (workflow["jobs"]?.pairs ?? []).flatMap { pair in
            (pair.value["steps"]?.items ?? []).map { (pair.key.string ?? "", $0) }
        }
    }

    // MARK: - YAML

    @Test func everyFileLoadsWithTheProjectsYAMLLoader() throws {
        let files = Self.yamlFiles()
        #expect(
            files == [
                "examples/github/.github/actions/setup-stoicprov/action.yml",
                "examples/github/.github/workflows/stoicprov-apply.yml",
                "examples/github/.github/workflows/stoicprov-drift.yml",
                "examples/github/.github/workflows/stoicprov-plan.yml",
            ])
        for file in files {
            let node = try Self.load(file)
            #expect(node.pairs != nil, "\(file) is not a mapping")
        }
    }

    @Test func localActionsAndScriptsExist() throws {
        for file in Self.yamlFiles() {
            for (_, step) in Self.steps(of: try Self.load(file)) {
                if let uses = step["uses"]?.string, uses.hasPrefix("./") {
                    let action = Self.github.appendingPathComponent(String(uses.dropFirst(2)) + "/action.yml")
                    #expect(FileManager.default.fileExists(atPath: action.path), "\(file): \(uses)")
                }
                for line in (step["run"]?.string ?? "").split(separator: "\n") where line.contains(".github/scripts/") {
                    let script = try #require(line.split(separator: " ").first { $0.contains(".github/scripts/") })
                    let path = Self.github.appendingPathComponent(String(script.drop { $0 != "." }.prefix { $0 != "\"" }))
                    #expect(FileManager.default.isExecutableFile(atPath: path.path), "\(file): \(script)")
                }
            }
        }
    }

    // MARK: - Triggers, jobs, permissions, concurrency

    @Test func pullRequestsValidateThenPlanIntoOneComment() throws {
        let workflow = try Self.workflow("stoicprov-plan.yml")
        #expect(workflow["on"]?["pull_request"] != nil)
        #expect(workflow["on"]?["push"] == nil)
        #expect(workflow["jobs"]?["plan"]?["needs"]?.string == "validate")
        #expect(workflow["concurrency"]?["group"]?.string?.contains("github.event.pull_request.number") == true)
        #expect(workflow["concurrency"]?["cancel-in-progress"]?.bool == true)
        let comment = try #require(
            Self.steps(of: workflow).first { $0.step["uses"]?.string?.hasPrefix("actions/github-script@") == true })
        #expect(comment.job == "plan")
        let script = try #require(comment.step["with"]?["script"]?.string)
        #expect(script.contains("'<!-- stoicprov-plan -->'"))
        #expect(script.contains("updateComment") && script.contains("createComment"))
        #expect(
            Self.permissions(workflow) == [
                "workflow": ["contents": "read"], "plan": ["contents": "read", "pull-requests": "write"],
            ])
    }

    @Test func mergesApplyPerTenantNeverOverlapping() throws {
        let workflow = try Self.workflow("stoicprov-apply.yml")
        #expect(workflow["on"]?["push"]?["branches"]?.items?.compactMap(\.string) == ["main"])
        #expect(workflow["on"]?["pull_request"] == nil)
        let apply = try #require(workflow["jobs"]?["apply"])
        #expect(apply["concurrency"]?["group"]?.string == "stoicprov-apply-${{ matrix.tenant }}")
        #expect(apply["concurrency"]?["cancel-in-progress"]?.bool == false)
        #expect(apply["strategy"]?["matrix"]?["tenant"]?.string?.contains("needs.tenants.outputs.tenants") == true)
        let journal = try #require(
            Self.steps(of: workflow).first { $0.step["uses"]?.string?.hasPrefix("actions/upload-artifact@") == true })
        #expect(journal.step["with"]?["path"]?.string?.hasSuffix("/.stoicprov/") == true)
        #expect(journal.step["if"]?.string == "always()")
        #expect(Self.permissions(workflow) == ["workflow": ["contents": "read"]])
    }

    @Test func nightlyDriftOpensOrUpdatesAnIssue() throws {
        let workflow = try Self.workflow("stoicprov-drift.yml")
        let cron = try #require(workflow["on"]?["schedule"]?.items?.first?["cron"]?.string)
        #expect(cron.split(separator: " ").count == 5)
        let scripts = Self.steps(of: workflow).compactMap { $0.step["with"]?["script"]?.string }
        let script = try #require(scripts.first)
        #expect(script.contains("issues.create(") && script.contains("issues.update("))
        #expect(Self.permissions(workflow) == ["workflow": ["contents": "read", "issues": "write"]])
    }

    /// `permissions:` maps by where they stand (`workflow` or a job's id).
    static func permissions(_ workflow: Node) -> [String: [String: String]] {
        func map(_ node: Node?) -> [String: String]? {
            guard let pairs = node?.pairs else { return nil }
            return Dictionary(uniqueKeysWithValues: pairs.map { ($0.key.string ?? "", $0.value.string ?? "") })
        }
        var found: [String: [String: String]] = [:]
        found["workflow"] = map(workflow["permissions"])
        for job in workflow["jobs"]?.pairs ?? [] {
            found[job.key.string ?? ""] = map(job.value["permissions"])
        }
        return found
    }

    // MARK: - Secrets

    /// Each `env:` reference of `examples/stoicprov.yaml` reaches every step that plans or applies, from the
    /// repository secret of that name; each `file:` reference is written before.
    @Test func secretsReachEveryPlanAndApplyAsTheConfigNamesThem() throws {
        let config = try Self.load("examples/stoicprov.yaml")
        var environment: Set<String> = []
        var files: Set<String> = []
        for connection in config["connections"]?.pairs ?? [] {
            for pair in connection.value.pairs ?? [] {
                guard let text = pair.value.string else { continue }
                if text.hasPrefix("env:") { environment.insert(String(text.dropFirst(4))) }
                if text.hasPrefix("file:") { files.insert(String(text.dropFirst(5))) }
            }
        }
        #expect(environment == ["WORKOS_API_KEY", "THINKIFIC_API_KEY", "INSIGHTS_SCIM_TOKEN"])
        #expect(files == ["secrets/dashboard.token"])
        var checked = 0
        for name in ["stoicprov-plan.yml", "stoicprov-apply.yml", "stoicprov-drift.yml"] {
            let steps = Self.steps(of: try Self.workflow(name)).map(\.step)
            for (index, step) in steps.enumerated() {
                let run = step["run"]?.string ?? ""
                guard run.contains("stoicprov plan") || run.contains("stoicprov apply") else { continue }
                checked += 1
                for variable in environment {
                    #expect(step["env"]?[variable]?.string == "${{ secrets.\(variable) }}", "\(name): \(variable)")
                }
                for file in files {
                    let writer = steps[..<index].contains { ($0["run"]?.string ?? "").contains("> \"$WORKSPACE/\(file)\"") }
                    #expect(writer, "\(name): nothing writes \(file) before stoicprov runs")
                }
            }
        }
        #expect(checked == 3)
    }

    // MARK: - Command lines

    /// A `stoicprov …` line from a workflow, with shell variables replaced by values for the example workspace.
    struct CommandLine: CustomStringConvertible {
        var file: String
        var text: String
        var arguments: [String]
        var description: String { "\(file): \(text)" }
    }

    /// Every line of a `run:` script that starts with `stoicprov `, cut before redirections and `||`, with the
    /// workflow's variables replaced: `$WORKSPACE`, the `--tenant` arguments of the plan job, the matrix `$TENANT`.
    static func commandLines(
        workspace: String = "examples", tenantArguments: String = "--tenant pg", tenant: String = "pg"
    ) throws -> [CommandLine] {
        var lines: [CommandLine] = []
        for file in yamlFiles() {
            for (_, step) in steps(of: try load(file)) {
                for line in (step["run"]?.string ?? "").split(separator: "\n") {
                    let text = line.trimmingCharacters(in: .whitespaces)
                    guard text.hasPrefix("stoicprov ") else { continue }
                    var command = text
                    for cut in [" > ", " || ", " | ", " 2>", " && ", ";"] {
                        if let range = command.range(of: cut) { command = String(command[..<range.lowerBound]) }
                    }
                    let substituted =
                        command
                        .replacingOccurrences(of: "\"${tenant_args[@]}\"", with: tenantArguments)
                        .replacingOccurrences(of: "\"$WORKSPACE\"", with: workspace)
                        .replacingOccurrences(of: "\"$TENANT\"", with: tenant)
                    #expect(!substituted.contains("$"), "unexpanded shell in \(file): \(text)")
                    let arguments = substituted.split(separator: " ").dropFirst().map(String.init)
                    lines.append(CommandLine(file: file, text: text, arguments: arguments))
                }
            }
        }
        return lines
    }

    /// The flags of `plan` and `apply` as issues 4 and 5 and DESIGN §6 define them; those commands are written on
    /// other branches, so their lines are checked against this list (and against `--help` once they exist).
    static let knownFlags: [String: Set<String>] = [
        "plan": ["--tenant", "--out", "--format", "--detailed-exitcode", "--sandbox", "--show-emails"],
        "apply": [
            "--tenant", "--auto-approve", "--allow-mass-removal", "--allow-delete", "--parallelism", "--sandbox",
            "--force-unlock",
        ],
    ]

    @Test func everyCommandLineIsRealSyntax() throws {
        let lines = try Self.commandLines()
        let names = lines.map { $0.arguments.first ?? "" }
        #expect(names.sorted() == ["apply", "apply", "plan", "plan", "validate"], "\(lines)")
        for line in lines {
            let command = line.arguments[0]
            if command == "validate" {
                // Run it for real against the example workspace.
                let result = try BinaryRunner.run(line.arguments)
                #expect(result.status == 0, "\(line)\n\(result.stdout)\(result.stderr)")
                #expect(!result.stdout.contains("::error"), "\(line)")
                continue
            }
            let known = try #require(Self.knownFlags[command], "\(line): unknown command")
            let flags = line.arguments.filter { $0.hasPrefix("--") }
            for flag in flags { #expect(known.contains(flag), "\(line): \(flag)") }
            if let format = line.arguments.firstIndex(of: "--format") {
                #expect(line.arguments[format + 1] == "markdown", "\(line)")
            }
            // Once the command exists in this build, its own usage text must name every flag used.
            let help = try BinaryRunner.run([command, "--help"])
            if help.status == 0 {
                for flag in flags { #expect(help.stdout.contains(flag), "\(line): '\(command) --help' lacks \(flag)") }
            }
        }
        #expect(lines.contains { $0.arguments.contains("--detailed-exitcode") && $0.file.hasSuffix("drift.yml") })
        #expect(lines.contains { $0.arguments.contains("--out") && $0.file.hasSuffix("plan.yml") })
        #expect(lines.filter { $0.arguments.first == "apply" }.allSatisfy { $0.arguments.contains("--auto-approve") })
    }

    // MARK: - changed-tenants.sh

    @Test func changedTenantsScriptFollowsTenantsRostersAndConfig() throws {
        let repository = try Scratch.examples("stoicprov-git", only: ["stoicprov.yaml", "tenants", "rosters"])
        defer { try? FileManager.default.removeItem(at: repository) }
        let script = Self.github.appendingPathComponent(".github/scripts/changed-tenants.sh").path
        func shell(_ command: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = repository
            process.environment = ["PATH": "/usr/bin:/bin", "HOME": repository.path, "SCRIPT": script]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(command)")
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let commit = "git add -A && git -c user.name=t -c user.email=t@example.com commit -qm change"
        _ = try shell("git init -q && \(commit)")
        #expect(try shell("\"$SCRIPT\" 0000000000000000000000000000000000000000 HEAD") == #"["contoso","northwind","pg"]"#)
        #expect(try shell("\"$SCRIPT\" HEAD HEAD") == "[]")
        _ = try shell("echo >> rosters/pg-in-person.csv && echo '# note' >> tenants/northwind.yaml && \(commit)")
        #expect(try shell("\"$SCRIPT\" HEAD~1 HEAD") == #"["northwind","pg"]"#)
        _ = try shell("git rm -q tenants/contoso.yaml && \(commit)")
        #expect(try shell("\"$SCRIPT\" HEAD~1 HEAD") == "[]")
        _ = try shell("echo '# note' >> stoicprov.yaml && \(commit)")
        #expect(try shell("\"$SCRIPT\" HEAD~1 HEAD") == #"["northwind","pg"]"#)
    }
}
