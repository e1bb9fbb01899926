import Foundation

/// Reads one roster CSV for a tenant: an `email` column is required, `first_name` and `last_name` are optional,
/// every email must be valid and in the tenant's domains.
///
/// A roster's content is never echoed unless it is a valid email address: the file could be anything (a `.env`
/// pasted as a roster), so other values are described by column and length instead.
struct RosterReader {
    static let columns = ["email", "first_name", "last_name"]
    /// Rosters larger than this are refused before reading.
    static let maxBytes = 5 * 1024 * 1024

    /// The roster file as diagnostics name it.
    var path: String
    var access: String
    var tenant: Tenant
    private(set) var diagnostics = Diagnostics()

    init(path: String, access: String, tenant: Tenant) {
        self.path = path
        self.access = access
        self.tenant = tenant
    }

    mutating func read(_ data: Data) -> [RosterEntry] {
        guard let table = CSVReader.read(data, file: path, diagnostics: &diagnostics) else { return [] }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (index, name) in header.enumerated() where !Self.columns.contains(name) {
            guard diagnostics.keeps(code: Diagnostic.unknownRosterColumnCode, file: path) else {
                diagnostics.append(.unknownRosterColumn("", suggestion: nil, at: headerLocation))  // only counted
                continue
            }
            let written = table.header[index].trimmingCharacters(in: .whitespaces)
            let suggestion = Suggestion.closest(to: name, in: Self.columns)
            diagnostics.append(
                .unknownRosterColumn(
                    CSVReader.describeColumn(written, index: index, isNearMiss: suggestion != nil),
                    suggestion: suggestion, at: headerLocation))
        }
        guard let emailColumn = header.firstIndex(of: "email") else {
            diagnostics.append(.rosterMissingEmailColumn(at: headerLocation))
            return []
        }
        let firstColumn = header.firstIndex(of: "first_name")
        let lastColumn = header.firstIndex(of: "last_name")
        var seen: [String: Int] = [:]
        var entries: [RosterEntry] = []
        for row in table.rows {
            func field(_ index: Int?) -> String {
                guard let index, index < row.fields.count else { return "" }
                return row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            let location = SourceLocation(file: path, line: row.line, column: 0)
            let email = field(emailColumn)
            guard !email.isEmpty else {
                diagnostics.append(.rosterRowWithoutEmail(at: location))
                continue
            }
            guard Format.isEmail(email) else {
                diagnostics.append(.rosterInvalidEmail(column: emailColumn, length: email.unicodeScalars.count, at: location))
                continue
            }
            if !tenant.owns(email: email) {
                diagnostics.append(.emailOutsideDomains(email, tenant: tenant.id, domains: tenant.domains, at: location))
            }
            if let firstLine = seen[email.lowercased()] {
                diagnostics.append(.duplicateRosterEmail(email, firstLine: firstLine, at: location))
                continue
            }
            seen[email.lowercased()] = row.line
            entries.append(
                RosterEntry(
                    email: email, firstName: field(firstColumn), lastName: field(lastColumn), access: access, location: location))
        }
        return entries
    }

    private var headerLocation: SourceLocation { SourceLocation(file: path, line: 1, column: 0) }

    /// `written` (as in the tenant file, relative to it) as a path relative to the working directory, lexically
    /// normalised: `examples/tenants/../rosters/pg.csv` is `examples/rosters/pg.csv`.
    static func path(of written: String, relativeTo tenantFile: String) -> String {
        if written.hasPrefix("/") { return normalize(written) }
        let directory = (tenantFile as NSString).deletingLastPathComponent
        return normalize(directory.isEmpty ? written : directory + "/" + written)
    }

    static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", isAbsolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return isAbsolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func rosterMissingEmailColumn(at location: SourceLocation) -> Diagnostic {
        .error(
            "roster-missing-email-column", "roster has no 'email' column (columns: email, first_name, last_name)", at: location)
    }

    static let unknownRosterColumnCode = "unknown-roster-column"

    /// `column` is `CSVReader.describeColumn`'s description, never the raw header text.
    static func unknownRosterColumn(_ column: String, suggestion: String?, at location: SourceLocation) -> Diagnostic {
        let hint = suggestion.map { "; did you mean '\($0)'?" } ?? " (it is ignored)"
        return .warning(unknownRosterColumnCode, "unknown roster column \(column)\(hint)", at: location)
    }

    /// Describes the value instead of echoing it: a row of a file that is not really a roster could hold a secret.
    static func rosterInvalidEmail(column: Int, length: Int, at location: SourceLocation) -> Diagnostic {
        .error(
            "invalid-email",
            "the email in column \(column + 1) is not a valid email address (\(length) characters; value not shown)",
            at: location)
    }

    static func rosterRowWithoutEmail(at location: SourceLocation) -> Diagnostic {
        .error("roster-missing-email", "roster row has no email", at: location)
    }

    static func emailOutsideDomains(
        _ email: String, tenant: String, domains: [String], at location: SourceLocation
    )
        -> Diagnostic
    {
        .error(
            "email-outside-domains",
            "\(email) is not in a domain of tenant '\(tenant)' (\(domains.joined(separator: ", ")))", at: location)
    }

    static func duplicateRosterEmail(_ email: String, firstLine: Int, at location: SourceLocation) -> Diagnostic {
        .warning("duplicate-roster-email", "\(email) is listed twice in this roster (first on line \(firstLine))", at: location)
    }
}
