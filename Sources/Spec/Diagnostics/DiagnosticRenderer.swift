import Foundation

/// Turns collected diagnostics into the text a person, GitHub Actions, or a program reads.
///
/// Diagnostics are rendered in `Diagnostics.sorted` order. Rendering is pure: the caller prints the result.
public enum DiagnosticRenderer {
    public enum Format: String, Sendable, CaseIterable {
        /// `path:line:col: error: message`, the source line with a caret under the column, and a summary line.
        case text
        /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE::message`).
        case github
        /// A JSON array of `{severity, code, message, file, line, column}` objects with sorted keys.
        case json
    }

    /// Renders `diagnostics` in `format`. Source lines for snippets come from `sources`; `isColored` adds ANSI
    /// colour to the text format only. The result ends with a line break unless it is empty.
    public static func render(
        _ diagnostics: Diagnostics, format: Format, sources: SourceFiles = SourceFiles(), isColored: Bool = false
    ) -> String {
        switch format {
        case .text: text(diagnostics, sources: sources, isColored: isColored)
        case .github: github(diagnostics)
        case .json: json(diagnostics)
        }
    }

    // MARK: - Text

    /// The human format, Yams-style: header line, source line, caret, then `2 errors, 1 warning`.
    public static func text(_ diagnostics: Diagnostics, sources: SourceFiles, isColored: Bool = false) -> String {
        let style = TextStyle(isColored: isColored)
        var output = ""
        for diagnostic in diagnostics.sorted {
            var header = ""
            if let location = diagnostic.location { header += "\(location): " }
            header += style.severity(diagnostic.severity) + " " + style.bold(diagnostic.message)
            output += header + "\n"
            guard let location = diagnostic.location, diagnostic.code != Diagnostic.omittedCode,
                let source = sources.line(location.line, in: location.file)
            else { continue }
            let (line, column) = Excerpt.window(source, column: location.column)
            output += line + "\n"
            if column > 0 {
                output += caretIndent(Substring(line), column: column) + style.caret("^") + "\n"
            }
        }
        if let summary = summary(diagnostics) { output += summary + "\n" }
        return output
    }

    /// `2 errors, 1 warning`; `nil` when there are neither errors nor warnings.
    public static func summary(_ diagnostics: Diagnostics) -> String? {
        var parts: [String] = []
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        if errors > 0 { parts.append(errors == 1 ? "1 error" : "\(errors) errors") }
        if warnings > 0 { parts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Whitespace that puts a caret under `column` (1-based, Unicode scalars) whatever the terminal's tab width:
    /// tabs are copied, wide characters take two cells, combining marks none.
    static func caretIndent(_ line: Substring, column: Int) -> String {
        var indent = ""
        for scalar in line.unicodeScalars.prefix(column - 1) {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            if scalar == "\t" {
                indent += "\t"
            } else if scalar.properties.isEmojiPresentation || isEastAsianWide(scalar) {
                indent += "  "
            } else {
                indent += " "
            }
        }
        return indent
    }

    private static func isEastAsianWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }

    private struct TextStyle {
        var isColored: Bool

        func severity(_ severity: Diagnostic.Severity) -> String {
            switch severity {
            case .error: paint("error:", "1;31")
            case .warning: paint("warning:", "1;33")
            case .note: paint("note:", "1;36")
            }
        }

        func bold(_ text: String) -> String { paint(text, "1") }
        func caret(_ text: String) -> String { paint(text, "1;32") }

        private func paint(_ text: String, _ code: String) -> String {
            isColored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
        }
    }

    // MARK: - GitHub Actions

    /// One workflow command per diagnostic, so problems show as annotations on the pull request.
    public static func github(_ diagnostics: Diagnostics) -> String {
        var output = ""
        for diagnostic in diagnostics.sorted {
            let command =
                switch diagnostic.severity {
                case .error: "error"
                case .warning: "warning"
                case .note: "notice"
                }
            var properties: [String] = []
            if let location = diagnostic.location {
                properties.append("file=" + escapeProperty(location.file))
                properties.append("line=\(location.line)")
                if location.column > 0 { properties.append("col=\(location.column)") }
            }
            properties.append("title=" + escapeProperty(diagnostic.code))
            output += "::\(command) \(properties.joined(separator: ","))::\(escapeData(diagnostic.message))\n"
        }
        return output
    }

    /// GitHub's escaping for a command's message.
    public static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// GitHub's escaping for a command property value (message escaping plus `:` and `,`).
    public static func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacingOccurrences(of: ":", with: "%3A")
            .replacingOccurrences(of: ",", with: "%2C")
    }

    // MARK: - JSON

    /// A pretty JSON array with sorted keys; positionless diagnostics have `null` file, line and column.
    public static func json(_ diagnostics: Diagnostics) -> String {
        let objects: [[String: Any]] = diagnostics.sorted.map { diagnostic in
            [
                "severity": diagnostic.severity.rawValue,
                "code": diagnostic.code,
                "message": diagnostic.message,
                "file": diagnostic.location.map { $0.file as Any } ?? NSNull(),
                "line": diagnostic.location.map { $0.line as Any } ?? NSNull(),
                "column": diagnostic.location.map { $0.column as Any } ?? NSNull(),
            ]
        }
        guard !objects.isEmpty else { return "[]\n" }
        let data = try! JSONSerialization.data(
            withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
