import Foundation

/// A tenant file drafted from live state (`stoicprov import --from-live`), with the roster of people no directory
/// group explains. Pure text from inferred values, no I/O; free text is quoted and commented like `TenantScaffold`'s.
public struct ImportedTenant: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Lower-cased, each once.
    public var domains: [String]
    public var provider: SSOProvider
    public var directory: DirectorySource
    public var seats: Int
    public var program: Program
    /// Access rules in the order written.
    public var rules: [Rule]
    /// Roster rows, written to `rosterFile`; empty writes no roster.
    public var rosterRows: [RosterRow]
    /// The roster's path relative to the tenant file (`../rosters/<id>-imported.csv`).
    public var rosterFile: String
    /// What was inferred, for the header comment: one finding a line.
    public var inferred: [String]
    /// What to check before the first plan: one item a line.
    public var checks: [String]

    public struct Rule: Sendable, Hashable {
        public var name: String
        public var idpGroups: [String]
        public var courses: [String]
        public var groups: [String]
        /// Why the rule looks like this (people count, where it came from), as a comment above it.
        public var note: String

        public init(name: String, idpGroups: [String], courses: [String], groups: [String], note: String) {
            self.name = name
            self.idpGroups = idpGroups
            self.courses = courses
            self.groups = groups
            self.note = note
        }
    }

    public struct RosterRow: Sendable, Hashable {
        public var email: String
        public var firstName: String
        public var lastName: String
        public var access: String

        public init(email: String, firstName: String, lastName: String, access: String) {
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.access = access
        }
    }

    public init(
        id: String, name: String, domains: [String], provider: SSOProvider, directory: DirectorySource, seats: Int,
        program: Program, rules: [Rule], rosterRows: [RosterRow] = [], rosterFile: String? = nil, inferred: [String] = [],
        checks: [String] = []
    ) {
        self.id = id
        self.name = name
        var seen: Set<String> = []
        self.domains = domains.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        self.provider = provider
        self.directory = directory
        self.seats = seats
        self.program = program
        self.rules = rules
        self.rosterRows = rosterRows
        self.rosterFile = rosterFile ?? "../rosters/\(id)-imported.csv"
        self.inferred = inferred
        self.checks = checks
    }

    // MARK: - The tenant file

    /// The tenant file: header comments saying what was inferred and what to check, then the spec.
    public var text: String {
        var lines: [String] = []
        func add(_ line: String = "") { lines.append(line) }
        func comment(_ text: String, indent: String = "") { add(indent + "# " + TenantScaffold.oneLine(text)) }
        comment("\(name): drafted by `stoicprov import \(id) --from-live` from what exists live.")
        comment("Review it, then run `stoicprov validate` and `stoicprov plan --tenant \(id)`: the first plan should show")
        comment("no changes, which is what proves the draft describes the client as it is.")
        if !inferred.isEmpty {
            add("#")
            comment("What was inferred:")
            for line in inferred { comment("- " + line) }
        }
        if !checks.isEmpty {
            add("#")
            comment("Check before merging:")
            for line in checks { comment("- " + line) }
        }
        add()
        add("tenant: \(id)")
        add("name: \(TenantScaffold.quoted(name))")
        add("domains: [\(domains.joined(separator: ", "))]")
        add()
        add("sso: { provider: \(provider.rawValue) }")
        add("directory: \(directory.rawValue)")
        add()
        comment("Rounded up from the people who have access now: check it against the contract.")
        add("seats: \(seats)")
        comment("The enrollments' most common activation and expiry dates.")
        add("program: { starts: \(program.starts), ends: \(program.ends) }")
        add()
        comment("Its people were onboarded by hand: stoicprov takes over their access (docs/spec.md, Ownership).")
        add("adopt: { thinkific: { existing: true } }")
        add()
        add("access:")
        for rule in rules {
            comment(rule.note, indent: "  ")
            add("  \(rule.name):")
            if !rule.idpGroups.isEmpty { add("    idp_groups: \(Self.flow(rule.idpGroups))") }
            var parts: [String] = []
            if !rule.courses.isEmpty { parts.append("courses: \(Self.flow(rule.courses, quoting: false))") }
            if !rule.groups.isEmpty { parts.append("groups: \(Self.flow(rule.groups))") }
            add("    thinkific: { \(parts.joined(separator: ", ")) }")
        }
        if !rosterRows.isEmpty {
            add()
            comment("People with access that no directory group explains, each rule with its own roster file.")
            add("rosters:")
            for rule in rules where rosterRows.contains(where: { $0.access == rule.name }) {
                add("  - { file: \(rosterFileFor(rule.name)), access: \(rule.name) }")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Roster files by rule: a roster grants one rule, so each rule with rows gets its own file. With one such rule
    /// the file is `rosterFile` itself; otherwise the rule name is added before the extension.
    public func rosterFileFor(_ rule: String) -> String {
        let rulesWithRows = Set(rosterRows.map(\.access))
        guard rulesWithRows.count > 1 else { return rosterFile }
        let base = rosterFile.hasSuffix(".csv") ? String(rosterFile.dropLast(4)) : rosterFile
        return "\(base)-\(rule).csv"
    }

    /// Each roster file (path relative to the tenant file) with its CSV text (RFC 4180, quoted where needed).
    public var rosters: [(file: String, csv: String)] {
        rules.compactMap { rule in
            let rows = rosterRows.filter { $0.access == rule.name }
            guard !rows.isEmpty else { return nil }
            var csv = "email,first_name,last_name\r\n"
            for row in rows {
                csv += [row.email, row.firstName, row.lastName].map(Self.csvField).joined(separator: ",") + "\r\n"
            }
            return (rosterFileFor(rule.name), csv)
        }
    }

    // MARK: - Quoting

    private static func flow(_ items: [String], quoting: Bool = true) -> String {
        "[" + items.map { quoting ? TenantScaffold.quoted($0) : $0 }.joined(separator: ", ") + "]"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
