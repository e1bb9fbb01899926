import Foundation

/// Reads RFC 4180 CSV with a header row: quoted fields with `""` escapes, commas and line breaks inside quotes,
/// CRLF or LF line ends, an optional UTF-8 byte order mark (Excel writes one), an optional final line break.
///
/// Blank lines are skipped. Problems are reported per row at `file:line` (column 0); rows with problems are
/// left out and the good rows are still returned. A stray quote inside an unquoted field, or text after a closing
/// quote, is kept literally as spreadsheet programs do.
public enum CSVReader {
    /// Reads `data` as CSV. Returns `nil` only when there is no usable header row (empty file, file too large,
    /// or a header that is not valid UTF-8); every problem is appended to `diagnostics`.
    public static func read(
        _ data: Data, file: String, maxBytes: Int = 5 * 1024 * 1024, diagnostics: inout Diagnostics
    ) -> CSVTable? {
        guard data.count <= maxBytes else {
            diagnostics.append(.fileTooLarge(bytes: data.count, limit: maxBytes, at: rowLocation(file, 1)))
            return nil
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        var records = RecordScanner(bytes: bytes)
        var header: [String]?
        var columns: [String: Int] = [:]
        var rows: [CSVRow] = []
        while let record = records.next() {
            if record.isUnterminated {
                diagnostics.append(.csvUnterminatedQuote(at: rowLocation(file, record.line)))
                if header == nil { return nil }
                continue
            }
            guard let fields = decode(record.fields) else {
                diagnostics.append(.csvInvalidUTF8(at: rowLocation(file, record.line)))
                if header == nil { return nil }
                continue
            }
            guard let header else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                header = names
                let keys = names.map { $0.lowercased() }  // `CSVRow.normalized` of names already trimmed
                columns = CSVRow.columnIndex(normalized: keys)
                var seen: Set<String> = []
                for (index, key) in keys.enumerated() where !seen.insert(key).inserted {
                    let isListed = diagnostics.keeps(code: Diagnostic.csvDuplicateColumnCode, file: file)
                    let column = isListed ? describeColumn(names[index], index: index) : ""  // else only counted
                    diagnostics.append(.csvDuplicateColumn(column, at: rowLocation(file, record.line)))
                }
                continue
            }
            guard fields.count == header.count else {
                diagnostics.append(
                    .csvFieldCount(fields.count, expected: header.count, at: rowLocation(file, record.line)))
                continue
            }
            rows.append(CSVRow(line: record.line, fields: fields, columns: columns))
        }
        guard let header else {
            diagnostics.append(.csvEmpty(at: rowLocation(file, 1)))
            return nil
        }
        return CSVTable(header: header, rows: rows)
    }

    /// A header cell for a message: `'surname'` when it is short and looks like a column name (lower-case letters,
    /// `_`, `-`, spaces; at most 16 characters; `isNearMiss` for a near miss of a known column), otherwise only its
    /// position and length. A file that is not really a CSV (an environment dump, a `.env`) could hold a secret
    /// there, and keys mix cases and digits.
    static func describeColumn(_ name: String, index: Int, isNearMiss: Bool = false) -> String {
        let scalars = name.unicodeScalars
        let looksLikeName =
            !scalars.isEmpty && scalars.count <= (isNearMiss ? 32 : 16)
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || "_- ".unicodeScalars.contains($0) }
        return looksLikeName ? "'\(name)'" : "in column \(index + 1) (\(scalars.count) characters; name not shown)"
    }

    private static func rowLocation(_ file: String, _ line: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: 0)
    }

    private static func decode(_ fields: [ArraySlice<UInt8>]) -> [String]? {
        var strings: [String] = []
        strings.reserveCapacity(fields.count)
        for field in fields {
            guard let string = String(validating: field, as: UTF8.self) else { return nil }
            strings.append(string)
        }
        return strings
    }
}

// MARK: - Scanning

/// One record as raw bytes, before UTF-8 decoding.
private struct Record {
    var line: Int
    var fields: [ArraySlice<UInt8>]
    var isUnterminated = false
}

/// Splits the bytes into records, skipping blank lines. After an unterminated quote it reports the record and
/// resumes on the line after the one the record started on, so one stray quote costs one row, not the rest.
private struct RecordScanner {
    let bytes: [UInt8]
    var index = 0
    var line = 1

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func next() -> Record? {
        while index < bytes.count {
            if skipBlankLine() { continue }
            return record()
        }
        return nil
    }

    /// Consumes a line holding only spaces or tabs; `false` (consuming nothing) when the line has content.
    private mutating func skipBlankLine() -> Bool {
        var end = index
        while end < bytes.count, bytes[end] == Self.space || bytes[end] == Self.tab { end += 1 }
        guard end == bytes.count || bytes[end] == Self.cr || bytes[end] == Self.lf else { return false }
        index = end
        consumeLineBreak()
        return true
    }

    private mutating func consumeLineBreak() {
        guard index < bytes.count else { return }
        if bytes[index] == Self.cr {
            index += 1
            if index < bytes.count, bytes[index] == Self.lf { index += 1 }
        } else if bytes[index] == Self.lf {
            index += 1
        }
        line += 1
    }

    private mutating func record() -> Record {
        let start = (index: index, line: line)
        var fields: [ArraySlice<UInt8>] = []
        while true {
            guard let field = field() else {
                index = start.index
                line = start.line
                skipToNextLine()
                return Record(line: start.line, fields: [], isUnterminated: true)
            }
            fields.append(field)
            if index < bytes.count, bytes[index] == Self.comma {
                index += 1
                continue
            }
            consumeLineBreak()
            return Record(line: start.line, fields: fields)
        }
    }

    /// Scans one field up to (not including) the comma or line break after it; `nil` if a quote never closes.
    private mutating func field() -> ArraySlice<UInt8>? {
        guard index < bytes.count, bytes[index] == Self.quote else {
            let start = index
            while index < bytes.count, bytes[index] != Self.comma, bytes[index] != Self.cr, bytes[index] != Self.lf {
                index += 1
            }
            return bytes[start..<index]
        }
        index += 1
        var value: [UInt8] = []
        while true {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            if byte == Self.quote {
                if index < bytes.count, bytes[index] == Self.quote {
                    value.append(Self.quote)
                    index += 1
                    continue
                }
                break
            }
            if byte == Self.lf || (byte == Self.cr && (index >= bytes.count || bytes[index] != Self.lf)) {
                line += 1
            }
            value.append(byte)
        }
        // Text after the closing quote is kept literally.
        while index < bytes.count, bytes[index] != Self.comma, bytes[index] != Self.cr, bytes[index] != Self.lf {
            value.append(bytes[index])
            index += 1
        }
        return value[...]
    }

    private mutating func skipToNextLine() {
        while index < bytes.count, bytes[index] != Self.cr, bytes[index] != Self.lf { index += 1 }
        consumeLineBreak()
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func csvUnterminatedQuote(at location: SourceLocation) -> Diagnostic {
        .error(
            "csv-unterminated-quote", "a quoted field in this row is never closed; the row is skipped", at: location)
    }

    static func csvFieldCount(_ count: Int, expected: Int, at location: SourceLocation) -> Diagnostic {
        .error("csv-field-count", "row has \(count) fields, header has \(expected); the row is skipped", at: location)
    }

    static func csvInvalidUTF8(at location: SourceLocation) -> Diagnostic {
        .error("csv-invalid-utf8", "row is not valid UTF-8 (save the file as \"CSV UTF-8\"); the row is skipped", at: location)
    }

    static func csvEmpty(at location: SourceLocation) -> Diagnostic {
        .error("csv-empty", "file has no header row", at: location)
    }

    static let csvDuplicateColumnCode = "csv-duplicate-column"

    /// `column` is `describeColumn`'s description, never the raw header text.
    static func csvDuplicateColumn(_ column: String, at location: SourceLocation) -> Diagnostic {
        .error(csvDuplicateColumnCode, "column \(column) appears more than once in the header", at: location)
    }
}
