import Foundation

// TEMPORARY: the declared shapes of the yaml branch's CSV reader and source files, so this branch builds until
// that work is merged. Delete this file when `git merge main` brings the real ones.

public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [CSVRow]
}

public struct CSVRow: Sendable {
    public var line: Int
    public var fields: [String]
    public subscript(column column: String) -> String? { nil }
}

public enum CSVReader {
    public static func read(_ data: Data, file: String, diagnostics: inout Diagnostics) -> CSVTable? {
        diagnostics.append(.error("csv-syntax", "CSV reader not merged yet", at: SourceLocation(file: file, line: 1, column: 0)))
        return nil
    }
}

public struct SourceFiles: Sendable {
    public var texts: [String: String] = [:]
    public init() {}
    public subscript(path: String) -> String? {
        get { texts[path] }
        set { texts[path] = newValue }
    }
}

public struct DiagnosticRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, github, json }
    public var format: Format
    public var sources: SourceFiles
    public init(format: Format, sources: SourceFiles) {
        self.format = format
        self.sources = sources
    }
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { "\($0.location?.description ?? ""): \($0.severity): \($0.message)" }.joined(separator: "\n")
    }
}
