import Spec

/// The line `validate` ends with (and the demo's first step says).
public enum ValidationSummary {
    /// `examples: 3 tenants, 2 rosters (37 people) — no problems`, or the counts of problems.
    public static func line(directory: String, workspace: Workspace?, diagnostics: Diagnostics) -> String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        let problems = [
            diagnostics.errorCount > 0 ? count(diagnostics.errorCount, "error") : nil,
            diagnostics.warningCount > 0 ? count(diagnostics.warningCount, "warning") : nil,
        ].compactMap { $0 }
        let verdict = problems.isEmpty ? "no problems" : problems.joined(separator: ", ")
        guard let workspace else { return "\(directory): \(verdict)" }
        let people = workspace.rosterPeopleCount == 1 ? "1 person" : "\(workspace.rosterPeopleCount) people"
        return "\(directory): \(count(workspace.tenants.count, "tenant")), \(count(workspace.rosterCount, "roster"))"
            + " (\(people)) — \(verdict)"
    }
}
