import Foundation

/// A CSV file read with its header row: the column names and the data rows below them.
public struct CSVTable: Sendable, Hashable {
    /// Column names as written in the header row (trimmed of surrounding whitespace).
    public var header: [String]
    /// Data rows in file order; rows with problems are left out (and reported as diagnostics).
    public var rows: [CSVRow]

    public init(header: [String], rows: [CSVRow]) {
        self.header = header
        self.rows = rows
    }
}

/// One data row of a `CSVTable`, with the line it starts on.
public struct CSVRow: Sendable, Hashable {
    /// The 1-based line where the row starts (a quoted field may carry it over several lines).
    public var line: Int
    /// The row's fields, in header order.
    public var fields: [String]
    /// Lower-cased, trimmed column name → field index; the first column wins when names repeat.
    private var columns: [String: Int]

    public init(line: Int, fields: [String], header: [String]) {
        self.line = line
        self.fields = fields
        self.columns = CSVRow.columnIndex(header)
    }

    init(line: Int, fields: [String], columns: [String: Int]) {
        self.line = line
        self.fields = fields
        self.columns = columns
    }

    /// The field under `column`, matched case-insensitively and ignoring surrounding whitespace.
    public subscript(column: String) -> String? {
        guard let index = columns[CSVRow.normalized(column)], index < fields.count else { return nil }
        return fields[index]
    }

    static func normalized(_ column: String) -> String {
        column.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func columnIndex(_ header: [String]) -> [String: Int] {
        columnIndex(normalized: header.map(normalized))
    }

    /// The index of column names already `normalized`; the first column wins when names repeat.
    static func columnIndex(normalized names: [String]) -> [String: Int] {
        var columns: [String: Int] = [:]
        for (index, name) in names.enumerated() where columns[name] == nil { columns[name] = index }
        return columns
    }
}
