import Foundation
import Operations
import Planner
import Views

/// `stoicprov show FILE [--format text|json|markdown] [--by person] [--show-emails]`: renders a saved plan.
enum ShowCommand: Command {
    static let name = "show"
    static let summary = "render a saved plan (from plan --out)"
    static let usage = """
        usage: stoicprov show FILE [--format text|json|markdown] [--by person] [--show-emails]

        Renders a plan saved by 'stoicprov plan --out FILE'.
          --format FORMAT   text (default), json (the saved form, docs/plan-format.md) or markdown (a PR comment)
          --by person       in text, one line per person with every change (default: per destination)
          --show-emails     in markdown, show names and email addresses in full (default: as the plan says)
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(arguments, options: ["format", "by"], flags: ["show-emails"])
        let format = try parsed.choice("format", of: ["text", "json", "markdown"], default: "text")
        let byPerson = try parsed.choice("by", of: ["person", "destination"], default: "destination") == "person"
        guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
            throw Arguments.UsageError(message: parsed.positionals.isEmpty ? "missing plan FILE" : "expected one plan FILE")
        }
        let plan: Plan
        do throws(OperationsError) {
            plan = try PlanFileStore.read(path)
        } catch {
            Console.err("stoicprov show: \(error)")
            return .failure
        }
        switch format {
        case "json": Console.out(String(decoding: PlanFile.json(plan), as: UTF8.self))
        case "markdown": Console.out(PlanRenderer.markdown(plan, showEmails: parsed.flag("show-emails")))
        default: Console.out(PlanRenderer.text(plan, color: Console.useColor, byPerson: byPerson))
        }
        return .success
    }
}
