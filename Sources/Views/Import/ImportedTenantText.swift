import Spec

/// What `stoicprov import` says once the draft is written.
public enum ImportedTenantText {
    /// `wrote tenants/acme.yaml` per file written.
    public static func written(_ paths: [String]) -> String {
        paths.map { "wrote \($0)" }.joined(separator: "\n")
    }

    /// The draft's counts and what to do next (`workspace`: the directory as the user gave it).
    public static func summary(_ draft: ImportedTenant, workspace: String) -> String {
        let dir = workspace == "." ? "" : " \(workspace)"
        return """
            \(draft.rules.count) access rules, \(draft.rosterRows.count) people on rosters, \(draft.seats) seats.
            Next: read its comments, then run 'stoicprov plan\(dir) --tenant \(draft.id)': it should show no changes.
            """
    }
}
