import Foundation
import Operations
import Views

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

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(arguments, options: ["workspace"], flags: ["keep"])
        guard parsed.positionals.isEmpty else { throw .init(message: "unexpected argument '\(parsed.positionals[0])'") }
        guard let source = DemoRunner.sourceWorkspace(parsed.option("workspace")) else {
            Console.err("stoicprov demo: \(OperationsError.noDemoWorkspace)")
            return .failure
        }
        let keep = parsed.flag("keep")
        let pinned: Date?
        do throws(OperationsError) {
            pinned = try Now.pinned()
        } catch {
            throw .init(message: error.description)
        }
        // Ignore the signals first, so Ctrl-C under --keep reaches the dispatch source instead of killing us.
        if keep { Signals.intercept() }
        let runner: DemoRunner
        do throws(OperationsError) {
            runner = try DemoRunner.start(source: source, pinned: pinned)
        } catch {
            Console.err("stoicprov demo: \(error)")
            return .failure
        }
        let color = Console.useColor
        let succeeded = runBlocking { await runner.run { event in show(event, color: color) } }
        if keep {
            let now = runner.isRealClock ? nil : runner.clock().formatted(.iso8601)
            for text in DemoNarration.keep(root: runner.root, workspace: runner.workspace.path, now: now, color: color) {
                Console.out(text)
            }
            Signals.waitForStop()
            runner.stop(keepingCopy: true)
            Console.out("Sandbox stopped; the workspace copy stays in \(runner.workspace.path).")
        } else {
            runner.stop(keepingCopy: false)
        }
        return succeeded ? .success : .failure
    }

    private static func show(_ event: DemoEvent, color: Bool) {
        switch event {
        case .applying(let progress): Console.progress(ApplyProgressText.line(progress))
        case .applied: Console.progress(nil)
        case .failed(let step, let reason): Console.err(DemoNarration.failure(step: step, reason: reason))
        default: break
        }
        for text in DemoNarration.output(for: event, color: color) { Console.out(text) }
    }
}
