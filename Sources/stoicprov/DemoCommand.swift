import Apply
import Dispatch
import Foundation
import Live
import Operations
import Planner
import Sandbox
import Spec
import Views

#if canImport(Glibc)
    import Glibc
#endif

/// `stoicprov demo`: the whole loop against an embedded sandbox, narrated — validate, plan, apply, plan again, a
/// directory change, and the plan that follows it. Exit 0 when every step behaved as expected.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "the whole flow against an embedded sandbox, narrated"
    static let usage = """
        usage: stoicprov demo [--keep] [--workspace DIR]

        Starts a sandbox inside this process (a free port, the default seed, no rate limit), copies the example
        workspace to a temporary directory and walks through it: validate, plan, apply, plan again, a person
        leaving and another joining an IdP group, and the plan that follows. Takes a few seconds.
        Runs on today's date (or STOICPROV_NOW); when pg's programme is not running then, the demo's clock is set
        to 2026-11-27, when it is, and the demo says so.
          --keep            leave the sandbox running (until Ctrl-C) and say how to point the CLI at it
          --workspace DIR   walk through this workspace instead of examples/ (it is copied, never changed)
        Exit status: 0 every step behaved as expected, 1 one did not, 64 usage error.
        """

    static let width = 80
    static let steps = 6

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(arguments, options: ["workspace"], flags: ["keep"])
        guard parsed.positionals.isEmpty else { throw .init(message: "unexpected argument '\(parsed.positionals[0])'") }
        guard let source = sourceWorkspace(parsed.option("workspace")) else {
            Console.err(
                "stoicprov demo: no example workspace found (looked for examples/ here and next to the binary); "
                    + "pass --workspace DIR")
            return .failure
        }
        let keep = parsed.flag("keep")
        let given = try Now.pinned()
        let today = given ?? Date()
        let choice = DemoClock.choose(today: today, workspace: WorkspaceLoader.load(directory: source.path).workspace)
        let clock: @Sendable () -> Date
        switch choice {
        case .today: clock = Now.clock(startingAt: given)
        case .pinned(let instant, _, _): clock = Now.clock(startingAt: instant)
        }
        let note = choice.narration(today: today, source: given == nil ? nil : Now.variable)

        // Ignore the signals first, so Ctrl-C under --keep reaches the dispatch source instead of killing us.
        if keep {
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
        }
        let server: SandboxServer
        let root: String
        do {
            var configuration = SandboxConfiguration()
            configuration.clock = clock
            server = try SandboxServer(configuration)
            root = try server.start()
        } catch {
            Console.err("stoicprov demo: cannot start the embedded sandbox: \(error)")
            return .failure
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-demo-\(UUID().uuidString)")
        let workspace = scratch.appendingPathComponent(source.lastPathComponent)
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: workspace)
        } catch {
            server.stop()
            Console.err(
                "stoicprov demo: cannot copy \(source.path) to \(scratch.path): \(FileAccess.describe(error, fallback: scratch.path))"
            )
            return .failure
        }

        var demo = DemoRun(root: root, workspace: workspace, name: source.lastPathComponent, clock: clock, note: note)
        let succeeded = demo.run()

        if keep {
            Console.out(heading("The sandbox keeps running"))
            // The CLI must read the sandbox's clock, or its plans would not match the demo's.
            let export =
                given == nil && choice == .today
                ? "" : "\n    export \(Now.variable)=\(clock().formatted(.iso8601))"
            Console.out(
                """
                  Sandbox:   \(root)
                  Workspace: \(workspace.path)
                  Point the CLI at it with --sandbox; the plan shows step 6's changes:
                    cd \(workspace.path)\(export)
                    stoicprov plan . --sandbox \(root)
                    stoicprov apply . --sandbox \(root)
                    stoicprov describe pg . --sandbox \(root)
                  Press Ctrl-C to stop it.
                """)
            waitForInterrupt()
            server.stop()
            Console.out("Sandbox stopped; the workspace copy stays in \(workspace.path).")
        } else {
            server.stop()
            try? FileManager.default.removeItem(at: scratch)
        }
        return succeeded ? .success : .failure
    }

    // MARK: - Finding the workspace

    /// `--workspace DIR`, else `examples/` in the working directory, else `examples/` of the package the binary was
    /// built in (`.build/debug/stoicprov` → the package root), else the package this source file is in.
    static func sourceWorkspace(_ given: String?) -> URL? {
        func isWorkspace(_ url: URL) -> Bool {
            FileManager.default.fileExists(atPath: url.appendingPathComponent("stoicprov.yaml").path)
        }
        if let given {
            let url = URL(fileURLWithPath: given).standardizedFileURL
            return isWorkspace(url) ? url : nil
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = executable.deletingLastPathComponent()
            for _ in 0..<5 {
                candidates.append(directory)
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent("examples").standardizedFileURL }.first(where: isWorkspace)
    }

    // MARK: - Output

    static func heading(_ text: String) -> String {
        "\n" + (Console.useColor ? "\u{1B}[1;36m\(text)\u{1B}[0m" : text)
    }

    static func say(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        Console.out(lines.joined(separator: "\n"))
    }

    static func say(_ text: String) {
        say(DemoNarration.wrap("  " + text, width: width, indent: 2))
    }

    /// The closing lines: what to try after the demo.
    static func whatNext() {
        Console.out(heading("What next"))
        let tries = [
            ("stoicprov demo --keep", "keep the sandbox running"),
            ("stoicprov sandbox", "a sandbox of your own"),
            ("stoicprov plan examples --sandbox URL", "plan against it"),
            ("stoicprov describe pg examples --sandbox URL", "a hand-off sheet"),
            ("stoicprov new acme --idp okta --domain acme.com", "onboard a client"),
            ("docs/workflow.md", "the pull-request workflow"),
        ]
        say(tries.map { "  " + $0.0.padding(toLength: 48, withPad: " ", startingAt: 0) + "# " + $0.1 })
    }

    static func failed(_ step: String, _ why: String) -> Bool {
        Console.err("stoicprov demo: step '\(step)' did not behave as expected: \(why)")
        return false
    }

    private static func waitForInterrupt() {
        let interrupted = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { interrupted.signal() }
            source.resume()
            return source
        }
        interrupted.wait()
        sources.forEach { $0.cancel() }
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// The six steps, in order; each checks what it saw and stops the demo when it was not what the demo expects.
private struct DemoRun {
    let root: String
    let workspace: URL
    /// How the workspace is named in the narration (`examples`): never the temporary path.
    let name: String
    let change = DemoDirectoryChange.example
    /// The demo's "now", shared with the embedded sandbox.
    let clock: @Sendable () -> Date
    /// Why the clock is not today's, when it is not.
    let note: String?
    var loaded: Workspace?

    init(root: String, workspace: URL, name: String, clock: @escaping @Sendable () -> Date, note: String?) {
        self.root = root
        self.workspace = workspace
        self.name = name
        self.clock = clock
        self.note = note
    }

    mutating func run() -> Bool {
        Console.out(
            """
            stoicprov demo: the \(name) workspace against a sandbox inside this process:
            Thinkific, WorkOS and SCIM emulated on loopback, seeded with the example
            clients' directories, no rate limit.
            """)
        if let note { DemoCommand.say(note) }
        guard validate(), let workspace = loaded else { return false }
        // An observer is one run (site-wide listings are read once and shared), so each step, like each command a
        // user types, gets a fresh one.
        func session() -> PlanSession? { observer(workspace).map { PlanSession(workspace: workspace, observer: $0) } }
        guard let first = session().flatMap(plan), let applying = observer(workspace),
            apply(first, workspace: workspace, observer: applying), let again = session(), planAgain(again),
            changeDirectory(), let last = session(), finalPlan(last)
        else { return false }
        DemoCommand.whatNext()
        return true
    }

    // MARK: - 1. validate

    mutating func validate() -> Bool {
        Console.out(DemoCommand.heading("[1/6] Validate: check every spec file, offline"))
        DemoCommand.say("$ stoicprov validate \(name)")
        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: self.workspace.path)
        if diagnostics.hasErrors || !diagnostics.all.isEmpty {
            Console.out(
                DiagnosticRenderer.render(diagnostics, format: .text, sources: sources, isColored: Console.useColor))
        }
        DemoCommand.say(ValidateCommand.summaryLine(directory: name, workspace: workspace, diagnostics: diagnostics))
        guard let workspace, !diagnostics.hasErrors else { return DemoCommand.failed("validate", "the workspace has errors") }
        loaded = workspace
        return true
    }

    /// Every connection pointed at the embedded sandbox, without the clients' own pacing: the sandbox has no rate
    /// limit, so the demo runs as fast as the machine allows (a real Thinkific site allows 120 requests a minute).
    func observer(_ workspace: Workspace) -> Observer? {
        var settings = WorkspaceInput.settings(workspace, sandbox: root)
        settings.thinkific?.requestsPerMinute = nil
        settings.workos?.requestsPerMinute = nil
        settings.scim = settings.scim.map { app in
            var app = app
            app.requestsPerMinute = nil
            return app
        }
        do {
            return try Observer(settings: settings, resolver: SecretResolver(workspace: self.workspace))
        } catch {
            _ = DemoCommand.failed("plan", "\(error)")
            return nil
        }
    }

    // MARK: - 2. plan

    func plan(_ session: PlanSession) -> Plan? {
        Console.out(DemoCommand.heading("[2/6] Plan: read the live systems, compute the changes"))
        DemoCommand.say("$ stoicprov plan \(name)")
        let now = clock()
        let plan = runBlocking { await session.plan(now: now) }.plan
        guard !plan.hasErrors else {
            Console.out(PlanRenderer.text(plan, color: Console.useColor))
            _ = DemoCommand.failed("plan", "the plan has errors")
            return nil
        }
        guard plan.counts.create > 0 else {
            _ = DemoCommand.failed("plan", "a fresh sandbox should need creates, and the plan has none")
            return nil
        }
        DemoCommand.say(
            "Nothing is provisioned yet, so almost everything is a create (+). \(DemoNarration.summary(plan.counts).capitalizedFirst), "
                + "per tenant and destination:")
        DemoCommand.say(DemoNarration.counts(plan, width: DemoCommand.width))
        DemoCommand.say("A few of them, each with its reason:")
        DemoCommand.say(DemoNarration.samples(plan, limit: 5, width: DemoCommand.width))
        return plan
    }

    // MARK: - 3. apply

    func apply(_ plan: Plan, workspace: Workspace, observer: Observer) -> Bool {
        Console.out(DemoCommand.heading("[3/6] Apply: make the live systems match"))
        DemoCommand.say("$ stoicprov apply \(name) --auto-approve")
        let options = ApplyOptions(workspace: self.workspace, now: clock)
        let session = ApplySession(workspace: workspace, observer: observer, options: options)
        let report = runBlocking {
            await session.apply(plan, isSaved: false) { progress in
                Console.progress(ApplyCommand.progressLine(progress))
            }
        }
        Console.progress(nil)
        let lines = ApplyReportText.render(report).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("  Requests:") }
        DemoCommand.say(lines.flatMap { DemoNarration.wrap("  " + $0, width: DemoCommand.width, indent: 4) })
        guard !report.hasFailures else { return DemoCommand.failed("apply", "some changes failed (above)") }
        return true
    }

    // MARK: - 4. plan again

    func planAgain(_ session: PlanSession) -> Bool {
        Console.out(DemoCommand.heading("[4/6] Plan again: nothing left to do"))
        DemoCommand.say("$ stoicprov plan \(name)")
        let now = clock()
        let plan = runBlocking { await session.plan(now: now) }.plan
        guard !plan.hasChanges, !plan.hasErrors else {
            Console.out(PlanRenderer.text(plan, color: Console.useColor))
            return DemoCommand.failed("plan again", "the plan after apply should have no changes")
        }
        DemoCommand.say("No changes. The live systems match the workspace.")
        DemoCommand.say("This is what the nightly drift check expects to see.")
        return true
    }

    // MARK: - 5. the directory changes

    func changeDirectory() -> Bool {
        Console.out(DemoCommand.heading("[5/6] In the IdP: one person leaves a group, another joins one"))
        DemoCommand.say("Pushed to the sandbox's directory as \(change.tenant)'s IdP would push it:")
        let stays = change.remainingGroups.isEmpty ? "" : " (stays in \(change.remainingGroups.joined(separator: ", ")))"
        DemoCommand.say("\(change.leaver) leaves \(change.leftGroup)\(stays)")
        DemoCommand.say("\(change.joiner.email), new, joins \(change.joinedGroup)")
        let change = change
        let root = root
        let error = runBlocking { () async -> LiveError? in
            do throws(LiveError) {
                try await change.send(root: root, transport: URLSessionTransport())
                return nil
            } catch {
                return error
            }
        }
        if let error { return DemoCommand.failed("directory change", "\(error)") }
        return true
    }

    // MARK: - 6. the plan that follows

    func finalPlan(_ session: PlanSession) -> Bool {
        Console.out(DemoCommand.heading("[6/6] Plan: the expiry and the enrollment, with their reasons"))
        DemoCommand.say("$ stoicprov plan \(name)")
        let now = clock()
        let plan = runBlocking { await session.plan(now: now) }.plan
        DemoCommand.say(DemoNarration.changes(plan, width: DemoCommand.width))
        DemoCommand.say(
            "\(DemoNarration.summary(plan.counts).capitalizedFirst). Losing access expires the enrollment (progress and certificates "
                + "stay) and deactivates the SCIM user; nothing is deleted.")
        let changes = plan.tenants.flatMap(\.changes)
        let expiry = changes.contains { change in
            if case .expireEnrollment(let email, _, _, _) = change.action, email == self.change.leaver {
                return change.reason.hasPrefix("left ")
            }
            return false
        }
        let enrollment = changes.contains { change in
            if case .enroll(let email, _, _, _, _, _) = change.action, email == self.change.joiner.email {
                return change.reason == "joined \(self.change.joinedGroup)"
            }
            return false
        }
        guard !plan.hasErrors else { return DemoCommand.failed("final plan", "the plan has errors") }
        guard expiry else {
            return DemoCommand.failed("final plan", "no expiry of \(change.leaver) with the reason 'left …'")
        }
        guard enrollment else {
            return DemoCommand.failed(
                "final plan", "no enrollment of \(change.joiner.email) with the reason 'joined \(change.joinedGroup)'")
        }
        return true
    }
}
