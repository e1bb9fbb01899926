import Foundation
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
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            Console.err("stoicprov show: cannot read \(path): \(reason(error, path: path))")
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
        default: Console.out(PlanRenderer.text(plan, color: Console.useColor, byPerson: byPerson))
        }
        return .success
    }

    /// A short reason for a failed read, rather than Foundation's wrapped error text.
    private static func reason(_ error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}
