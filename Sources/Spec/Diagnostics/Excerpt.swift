/// Short, printable excerpts of user text for messages and snippets: output stays proportional to what a person can
/// read, and control characters (ESC, BEL, CR) never reach a terminal or a CI log raw.
public enum Excerpt {
    /// The widest source line a snippet shows, in Unicode scalars; longer lines are windowed around the column.
    public static let snippetWidth = 160
    /// The longest user value a message quotes, in Unicode scalars.
    public static let quoteLength = 64

    /// `text` with control characters replaced by `?` and cut to `limit` scalars with a trailing `…`.
    public static func quote(_ text: some StringProtocol, limit: Int = quoteLength) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalars.count == limit {
                scalars.append("…")
                break
            }
            scalars.append(printable(scalar))
        }
        return String(scalars)
    }

    /// A source line for a snippet: at most `width` scalars around `column` (1-based; 0 for the whole line), with `…`
    /// where text was cut, control characters except tab replaced by `?`. Returns the text and the column the caret
    /// goes under within it.
    public static func window(_ line: Substring, column: Int, width: Int = snippetWidth) -> (text: String, column: Int) {
        let scalars = Array(line.unicodeScalars)
        var start = 0
        if scalars.count > width, column > width / 2 {
            start = min(column - 1 - width / 2, scalars.count - width)
        }
        let end = min(scalars.count, start + width)
        var text = String.UnicodeScalarView()
        if start > 0 { text.append("…") }
        for scalar in scalars[start..<end] { text.append(scalar == "\t" ? scalar : printable(scalar)) }
        if end < scalars.count { text.append("…") }
        let caret = column > 0 ? column - start + (start > 0 ? 1 : 0) : 0
        return (String(text), caret)
    }

    private static func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: "?"
        default: scalar
        }
    }
}
