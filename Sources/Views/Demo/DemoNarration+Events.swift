import Apply
import Foundation
import Operations
import Planner
import Spec

extension DemoNarration {
    /// The terminal width the demo narrates for.
    public static let width = 80

    /// What the demo prints on stdout for `event`: each element is one write (a newline is added when it has none).
    /// Progress and failures are not narrated here: the command draws the one on stderr and reports the other.
    public static func output(for event: DemoEvent, color: Bool) -> [String] {
        switch event {
        case .started(let name, let note):
            let intro = """
                stoicprov demo: the \(name) workspace against a sandbox inside this process:
                Thinkific, WorkOS and SCIM emulated on loopback, seeded with the example
                clients' directories, no rate limit.
                """
            return [intro] + say(note.map { [$0] } ?? [])
        case .step(let step, let name):
            let command = self.command(step, name: name).map { [$0] } ?? []
            return [heading("[\(step.rawValue)/\(DemoStep.allCases.count)] \(title(step))", color: color)] + say(command)
        case .validated(let name, let workspace, let diagnostics, let sources):
            let problems =
                diagnostics.hasErrors || !diagnostics.all.isEmpty
                ? [DiagnosticRenderer.render(diagnostics, format: .text, sources: sources, isColored: color)] : []
            return problems + say([ValidationSummary.line(directory: name, workspace: workspace, diagnostics: diagnostics)])
        case .planned(let plan, let isExpected):
            guard isExpected else { return plan.hasErrors ? [PlanRenderer.text(plan, color: color)] : [] }
            return firstPlan(plan)
        case .applied(let report):
            let lines = ApplyReportText.render(report).split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("  Requests:") }
            return joined(lines.flatMap { wrap("  " + $0, width: width, indent: 4) })
        case .plannedAgain(let plan, let isExpected):
            guard isExpected else { return [PlanRenderer.text(plan, color: color)] }
            return say([
                "No changes. The live systems match the workspace.", "This is what the nightly drift check expects to see.",
            ])
        case .directoryChange(let change):
            return directoryChange(change)
        case .finalPlan(let plan):
            return joined(changes(plan, width: width))
                + say([
                    "\(summary(plan.counts).capitalizedFirst). Losing access expires the enrollment (progress and "
                        + "certificates stay) and deactivates the SCIM user; nothing is deleted."
                ])
        case .reconciled(let person, let group, let changes, let seconds):
            return say([
                "The orchestrator took over: its first pass reconciled every tenant in full (step 6's changes too). "
                    + "Then \(person), new, joined \(group) in the IdP:",
                "provisioned by the next pass, \(changes) change\(changes == 1 ? "" : "s") done, "
                    + String(format: "%.1f", seconds) + " s after the IdP pushed it. With --follow, add up to one --interval.",
            ])
        case .finished:
            return [heading("What next", color: color)] + joined(whatNext)
        case .applying, .failed:
            return []
        }
    }

    /// What `--keep` prints once the walk is over: where the sandbox and the workspace copy are, and how to point the
    /// CLI at them. `now` is the clock's instant to export when the demo did not run on the real clock.
    public static func keep(root: String, workspace: String, now: String?, color: Bool) -> [String] {
        // The CLI must read the sandbox's clock, or its plans would not match the demo's.
        let export = now.map { "\n    export \(Now.variable)=\($0)" } ?? ""
        return [
            heading("The sandbox keeps running", color: color),
            """
              Sandbox:   \(root)
              Workspace: \(workspace)
              Point the CLI at it with --sandbox (step 7 reconciled step 6.s changes):
                cd \(workspace)\(export)
                stoicprov plan . --sandbox \(root)
                stoicprov apply . --sandbox \(root)
                stoicprov describe pg . --sandbox \(root)
              Press Ctrl-C to stop it.
            """,
        ]
    }

    /// The line on stderr when a step did not behave as expected.
    public static func failure(step: String, reason: String) -> String {
        "stoicprov demo: step '\(step)' did not behave as expected: \(reason)"
    }

    static func title(_ step: DemoStep) -> String {
        switch step {
        case .validate: "Validate: check every spec file, offline"
        case .plan: "Plan: read the live systems, compute the changes"
        case .apply: "Apply: make the live systems match"
        case .planAgain: "Plan again: nothing left to do"
        case .directoryChange: "In the IdP: one person leaves a group, another joins one"
        case .finalPlan: "Plan: the expiry and the enrollment, with their reasons"
        case .reconcile: "Reconcile: a person joins an IdP group and is provisioned"
        }
    }

    /// The command a user would type for the step (`nil` for the IdP's change).
    static func command(_ step: DemoStep, name: String) -> String? {
        switch step {
        case .validate: "$ stoicprov validate \(name)"
        case .plan, .planAgain, .finalPlan: "$ stoicprov plan \(name)"
        case .apply: "$ stoicprov apply \(name) --auto-approve"
        case .directoryChange: nil
        case .reconcile: "$ stoicprov reconcile \(name) --follow"
        }
    }

    private static func firstPlan(_ plan: Plan) -> [String] {
        say([
            "Nothing is provisioned yet, so almost everything is a create (+). "
                + "\(summary(plan.counts).capitalizedFirst), per tenant and destination:"
        ]) + joined(counts(plan, width: width)) + say(["A few of them, each with its reason:"])
            + joined(samples(plan, limit: 5, width: width))
    }

    private static func directoryChange(_ change: DemoDirectoryChange) -> [String] {
        let stays = change.remainingGroups.isEmpty ? "" : " (stays in \(change.remainingGroups.joined(separator: ", ")))"
        return say([
            "Pushed to the sandbox's directory as \(change.tenant)'s IdP would push it:",
            "\(change.leaver) leaves \(change.leftGroup)\(stays)",
            "\(change.joiner.email), new, joins \(change.joinedGroup)",
        ])
    }

    /// The closing lines: what to try after the demo.
    private static var whatNext: [String] {
        let tries = [
            ("stoicprov demo --keep", "keep the sandbox running"),
            ("stoicprov sandbox", "a sandbox of your own"),
            ("stoicprov plan examples --sandbox URL", "plan against it"),
            ("stoicprov describe pg examples --sandbox URL", "a hand-off sheet"),
            ("stoicprov new acme --idp okta --domain acme.com", "onboard a client"),
            ("docs/workflow.md", "the pull-request workflow"),
        ]
        return tries.map { "  " + $0.0.padding(toLength: 48, withPad: " ", startingAt: 0) + "# " + $0.1 }
    }

    private static func heading(_ text: String, color: Bool) -> String {
        "\n" + (color ? "\u{1B}[1;36m\(text)\u{1B}[0m" : text)
    }

    /// Each text as its own write, wrapped to the width under a two-space indent.
    private static func say(_ texts: [String]) -> [String] {
        texts.flatMap { joined(wrap("  " + $0, width: width, indent: 2)) }
    }

    /// Lines as one write; none when there are none.
    private static func joined(_ lines: [String]) -> [String] {
        lines.isEmpty ? [] : [lines.joined(separator: "\n")]
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
