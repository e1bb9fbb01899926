import Foundation
import Planner
import Spec
import Views

/// `stoicprov show FILE [--format text|json|markdown] [--show-emails]`: renders a saved plan.
enum ShowCommand: Command {
    static let name = "show"
    static let summary = "render a saved plan (from plan --out)"
    static let usage = """
        usage: stoicprov show FILE [--format text|json|markdown] [--show-emails]

        Renders a plan saved by 'stoicprov plan --out FILE'.
          --format FORMAT   text (default), json (the saved form, docs/plan-format.md) or markdown (a PR comment)
          --show-emails     in markdown, show email addresses instead of masking them (a***@pg.com)
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(arguments, options: ["format"], flags: ["show-emails"])
        let format = try parsed.choice("format", of: ["text", "json", "markdown"], default: "text")
        guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
            throw Arguments.UsageError(message: parsed.positionals.isEmpty ? "missing plan FILE" : "expected one plan FILE")
        }
        let data: Data
        do {
            data = try FileAccess.read(path, maxBytes: FileAccess.maxPlanFileBytes).get()
        } catch {
            Console.err("stoicprov show: cannot read \(FileAccess.describe(error, path: path))")
            return .failure
        }
        let plan: Plan
        do {
            plan = try Plan.decode(from: data)
        } catch {
            Console.err("stoicprov show: \(path): \(error)")
            return .failure
        }
        switch format {
        case "json": Console.out(String(decoding: PlanFile.json(plan), as: UTF8.self))
        case "markdown": Console.out(PlanRenderer.markdown(plan, showEmails: parsed.flag("show-emails")))
        default: Console.out(PlanRenderer.text(plan, color: Console.useColor))
        }
        return .success
    }

}
