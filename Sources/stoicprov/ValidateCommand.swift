import Spec
import Views

/// `stoicprov validate`: parse and check every spec file of a workspace, offline.
enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "check every spec file of a workspace, offline"
    static let usage = """
        usage: stoicprov validate [DIR] [--format text|github|json]

        Checks stoicprov.yaml, tenants/*.yaml and their rosters in DIR (default: the current directory) and reports
        every problem. --format github prints GitHub Actions annotations; --format json a JSON array.
        Exit status: 0 no errors (warnings allowed), 1 problems found, 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let arguments = try Arguments(arguments, options: ["format"], flags: [])
        guard arguments.positionals.count <= 1 else {
            throw .init(message: "expected one directory, got \(arguments.positionals.count)")
        }
        let format = try arguments.choice("format", of: DiagnosticRenderer.Format.allCases) ?? .text
        let directory = arguments.positionals.first ?? "."

        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: directory)
        let rendered = DiagnosticRenderer.render(
            diagnostics, format: format, sources: sources, isColored: Console.useColor)
        let summary = ValidationSummary.line(directory: directory, workspace: workspace, diagnostics: diagnostics)
        if !rendered.isEmpty || format == .json { Console.out(rendered) }
        // Text output already ends with the counts; the workspace summary adds what was checked.
        if format == .text {
            if workspace != nil { Console.out(summary) }
        } else {
            Console.err(summary)
        }
        return diagnostics.hasErrors ? .failure : .success
    }
}
