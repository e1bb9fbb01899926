/// One finding about the user's input: a value, not a printed string.
///
/// Message text lives in named factory functions next to the check that emits it
/// (`extension Diagnostic { static func unknownKey(...) }`), never in string literals at call sites.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case error, warning, note

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
    }

    public var severity: Severity
    /// A stable, kebab-case name of the rule that fired (`unknown-key`, `yaml-syntax`, ...). Used by tests and JSON output.
    public var code: String
    public var message: String
    /// Where the problem is; `nil` for problems with no position (a missing directory, say).
    public var location: SourceLocation?

    public init(_ severity: Severity, code: String, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: location)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: location)
    }
}

/// Collects diagnostics across a whole run so that every problem is reported at once.
///
/// Output stays proportional to the input: past `capPerFileAndCode` diagnostics with the same file and code, the
/// rest are only counted, and `all` ends each such run with one `diagnostics-omitted` entry
/// ("… and 15,990 more unknown-key in tenants/acme.yaml"). Counts (`errorCount`, `warningCount`) include them.
public struct Diagnostics: Sendable {
    /// How many diagnostics of one code in one file are kept.
    public static let capPerFileAndCode = 20

    private struct Key: Hashable, Sendable {
        var file: String
        var code: String
    }

    private struct Omission: Sendable {
        var count = 0
        var severity = Diagnostic.Severity.note
        var first: SourceLocation?
    }

    private var kept: [Diagnostic] = []
    private var keptCounts: [Key: Int] = [:]
    private var omissions: [Key: Omission] = [:]

    public init() {}

    /// Every diagnostic kept, then one `diagnostics-omitted` entry per file and code that was capped.
    public var all: [Diagnostic] {
        kept
            + omissions.sorted { ($0.key.file, $0.key.code) < ($1.key.file, $1.key.code) }.map { key, omission in
                .omitted(omission.count, code: key.code, file: key.file, severity: omission.severity, at: omission.first)
            }
    }

    /// Whether a diagnostic with `code` in `file` would still be listed (not only counted): a caller can skip
    /// costly message work (suggestions, descriptions) for the ones that will only be counted.
    public func keeps(code: String, file: String) -> Bool {
        keptCounts[Key(file: file, code: code), default: 0] < Self.capPerFileAndCode
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        let key = Key(file: diagnostic.location?.file ?? "", code: diagnostic.code)
        let count = keptCounts[key, default: 0]
        guard count >= Self.capPerFileAndCode else {
            keptCounts[key] = count + 1
            kept.append(diagnostic)
            return
        }
        var omission = omissions[key, default: Omission()]
        omission.count += 1
        omission.severity = min(omission.severity, diagnostic.severity)
        if omission.first == nil { omission.first = diagnostic.location }
        omissions[key] = omission
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other { append(diagnostic) }
    }

    /// Appends another collection, keeping its omitted counts.
    public mutating func append(contentsOf other: Diagnostics) {
        for diagnostic in other.kept { append(diagnostic) }
        for (key, omission) in other.omissions {
            var merged = omissions[key, default: Omission()]
            merged.count += omission.count
            merged.severity = min(merged.severity, omission.severity)
            merged.first = merged.first ?? omission.first
            omissions[key] = merged
        }
    }

    public var hasErrors: Bool {
        kept.contains { $0.severity == .error } || omissions.values.contains { $0.severity == .error }
    }
    public var errorCount: Int { count(.error) }
    public var warningCount: Int { count(.warning) }

    /// How many diagnostics of `severity` were reported, omitted ones included (an omitted run counts at its most
    /// severe level).
    private func count(_ severity: Diagnostic.Severity) -> Int {
        kept.count { $0.severity == severity } + omissions.values.filter { $0.severity == severity }.reduce(0) { $0 + $1.count }
    }

    /// Diagnostics ordered by file, line, column, then code, so output is deterministic; a file's
    /// `diagnostics-omitted` entries come after everything else in that file.
    public var sorted: [Diagnostic] {
        all.sorted { a, b in
            let la = a.location ?? SourceLocation(file: "", line: 0, column: 0)
            let lb = b.location ?? SourceLocation(file: "", line: 0, column: 0)
            let oa = a.code == Diagnostic.omittedCode
            let ob = b.code == Diagnostic.omittedCode
            return (la.file, oa ? 1 : 0, la.line, la.column, a.code, a.message)
                < (lb.file, ob ? 1 : 0, lb.line, lb.column, b.code, b.message)
        }
    }
}

extension Diagnostic {
    /// The code of the stand-in for diagnostics left out by the cap; it gets no snippet.
    public static let omittedCode = "diagnostics-omitted"

    /// The stand-in for diagnostics left out by the cap.
    static func omitted(
        _ count: Int, code: String, file: String, severity: Severity, at location: SourceLocation?
    ) -> Diagnostic {
        var number = ""
        for (index, digit) in String(count).reversed().enumerated() {
            if index > 0, index % 3 == 0 { number.insert(",", at: number.startIndex) }
            number.insert(digit, at: number.startIndex)
        }
        let place = file.isEmpty ? "" : " in \(file)"
        return Diagnostic(
            severity, code: omittedCode,
            "… and \(number) more \(code)\(place) (only the first "
                + "\(Diagnostics.capPerFileAndCode) of each kind are shown per file)",
            at: location.map { SourceLocation(file: $0.file, line: $0.line, column: 0) })
    }
}
