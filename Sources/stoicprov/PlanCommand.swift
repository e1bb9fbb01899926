import Foundation
import Live
import Operations
import Planner
import Views

/// `stoicprov plan`: read the live systems, compute and show the changes.
enum PlanCommand: Command {
    static let name = "plan"
    static let summary = "read the live systems and show what would change"
    static let usage = """
        usage: stoicprov plan [DIR] [--tenant ID]... [--out FILE] [--format text|json|markdown] [--by person]
                              [--show-emails] [--detailed-exitcode] [--sandbox URL]

        Reads the live systems for each tenant of the workspace in DIR (default: the current directory) and shows,
        per tenant and destination, every change that would make them match the specs, with its reason.
          --tenant ID           plan only this tenant (repeatable)
          --out FILE            save the plan as JSON, for 'stoicprov show' and 'stoicprov apply FILE'
          --format FORMAT       text (default), json (docs/plan-format.md) or markdown (a pull-request comment)
          --by person           in text, one line per person with every change (default: per destination)
          --show-emails         in markdown, show names and email addresses in full (review.emails: full)
          --detailed-exitcode   exit 0 when there are no changes, 2 when there are changes, 1 on error
          --sandbox URL         point every connection at a running 'stoicprov sandbox' and its default credentials
        Exit status: 0 planned, 1 error (including a plan that must not be applied), 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments, options: WorkspaceOptions.names.union(["out", "format", "by"]),
            flags: ["show-emails", "detailed-exitcode"])
        let format = try parsed.choice("format", of: ["text", "json", "markdown"], default: "text")
        let byPerson = try parsed.choice("by", of: ["person", "destination"], default: "destination") == "person"
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one workspace directory") }
        let options = WorkspaceOptions(parsed, directory: parsed.positionals.first ?? ".")
        let now = try commandClock()()

        guard let opened = try? options.open(command: name) else { return .failure }
        let pseudonym: Pseudonym
        do throws(LiveError) {
            pseudonym = try .forWorkspace(opened.workspace, settings: opened.settings)
        } catch {
            Console.err("stoicprov plan: \(error)")
            return .failure
        }
        let session = PlanSession(workspace: opened.workspace, observer: opened.observer)
        let tenants = opened.tenants
        let outcome = runBlocking { await session.plan(tenants: tenants, now: now) }
        var plan = outcome.plan.pseudonymised(with: pseudonym)
        plan.emailDisplay = opened.workspace.config.review.emails
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
        default:
            Console.out(PlanRenderer.text(plan, color: Console.useColor, byPerson: byPerson))
            let statuses = ReconcileStore(workspace: URL(fileURLWithPath: opened.workspace.directory))
                .statuses(plan.tenants.map(\.tenant))
            if !statuses.isEmpty { Console.out("\n" + ReconcileStatusText.text(statuses)) }
        }
        if plan.hasErrors { return .failure }
        return parsed.flag("detailed-exitcode") && plan.hasChanges ? .changesPresent : .success
    }
}
