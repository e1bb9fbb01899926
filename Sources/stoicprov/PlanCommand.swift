import Foundation
import Operations
import Planner
import Views

/// `stoicprov plan`: read the live systems, compute and show the changes.
enum PlanCommand: Command {
    static let name = "plan"
    static let summary = "read the live systems and show what would change"
    static let usage = """
        usage: stoicprov plan [DIR] [--tenant ID]... [--out FILE] [--format text|json|markdown] [--show-emails]
                              [--detailed-exitcode] [--sandbox URL]

        Reads the live systems for each tenant of the workspace in DIR (default: the current directory) and shows,
        per tenant and destination, every change that would make them match the specs, with its reason.
          --tenant ID           plan only this tenant (repeatable)
          --out FILE            save the plan as JSON, for 'stoicprov show' and 'stoicprov apply FILE'
          --format FORMAT       text (default), json (docs/plan-format.md) or markdown (a pull-request comment)
          --show-emails         in markdown, show email addresses instead of masking them
          --detailed-exitcode   exit 0 when there are no changes, 2 when there are changes, 1 on error
          --sandbox URL         point every connection at a running 'stoicprov sandbox' and its default credentials
        Exit status: 0 planned, 1 error (including a plan that must not be applied), 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments, options: WorkspaceOptions.names.union(["out", "format"]), flags: ["show-emails", "detailed-exitcode"])
        let format = try parsed.choice("format", of: ["text", "json", "markdown"], default: "text")
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one workspace directory") }
        let options = WorkspaceOptions(parsed, directory: parsed.positionals.first ?? ".")
        let now = try commandClock()()

        guard let opened = try? options.open(command: name) else { return .failure }
        let session = PlanSession(workspace: opened.workspace, observer: opened.observer)
        let tenants = opened.tenants
        let outcome = runBlocking { await session.plan(tenants: tenants, now: now) }
        let plan = outcome.plan
        if let unreachable = outcome.unreachable {
            Console.err("stoicprov plan: \(unreachable)")
            return .failure
        }

        if let out = parsed.option("out") {
            do throws(OperationsError) {
                try PlanFileStore.save(plan, to: out)
            } catch {
                Console.err("stoicprov plan: \(error)")
                return .failure
            }
        }
        switch format {
        case "json": PlanFileStore.stream(plan, to: Console.out(bytes:))
        case "markdown": Console.out(PlanRenderer.markdown(plan, showEmails: parsed.flag("show-emails")))
        default: Console.out(PlanRenderer.text(plan, color: Console.useColor))
        }
        if plan.hasErrors { return .failure }
        return parsed.flag("detailed-exitcode") && plan.hasChanges ? .changesPresent : .success
    }
}
