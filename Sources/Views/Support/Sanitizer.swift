/// The one place where text from outside — names from a directory, a vendor's error message, a group called
/// `@stoic/admins\r\n# Approved` — is made safe to show. Every view renders such text through it.
///
/// - On a terminal (`line`): control characters cannot move the cursor, clear the screen, ring the bell or start a
///   line the reader would take for stoicprov's own. C0 (U+0000–U+001F, including ESC, BEL, CR, LF, TAB), DEL and
///   C1 (U+0080–U+009F) become `?` (line breaks and tabs a space), and the bidirectional overrides and isolates
///   (U+202A–U+202E, U+2066–U+2069, which reorder what is displayed) become `?`; the line and paragraph
///   separators (U+2028, U+2029) a space.
/// - In Markdown (`markdown`, `codeSpan`, `html`): the same, and then nothing in the text can become markup, a link,
///   a mention or a reference. Markdown punctuation is backslash-escaped and HTML characters become entities; an
///   `@` is followed by a word joiner (U+2060, invisible), so `@stoic/admins` shows as written but is neither a
///   mention GitHub notifies nor an email it links; a `#` before a digit gets the same, so `#12` is not a reference
///   to issue 12 (which GitHub would mark as mentioned).
public enum Sanitizer {
    /// One line of plain text for a terminal.
    public static func line(_ text: String) -> String {
        guard needsScalarScan(text) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { append(scalar, to: &result) }
        return String(result)
    }

    /// Inline Markdown prose or a table cell: one line, no markup, no mentions, no issue references.
    public static func markdown(_ text: String) -> String {
        var result = ""
        var previous: Character = " "
        for character in line(text) {
            if let entity = entity(character) {
                result += entity
            } else if "\\`*_[]|~!()#".contains(character) {
                result += "\\" + String(character)
            } else {
                if character.isNumber, previous == "#" { result += "\u{2060}" }
                result.append(character)
            }
            previous = character
        }
        return result
    }

    /// Text for HTML content (`<summary>…</summary>`), where Markdown is not parsed but mentions still are.
    public static func html(_ text: String) -> String {
        var result = ""
        for character in line(text) {
            switch character {
            case "#": result += "#\u{2060}"
            default: result += entity(character) ?? String(character)
            }
        }
        return result
    }

    /// What HTML and GitHub make of a character, disarmed: an entity for `&`, `<` and `>`, and an `@` followed by a
    /// word joiner so that it mentions no one; `nil` for any other character.
    private static func entity(_ character: Character) -> String? {
        switch character {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "@": "@\u{2060}"
        default: nil
        }
    }

    /// A Markdown code span holding `text` verbatim on one line: fenced by more backticks than any run inside it,
    /// padded with spaces when it starts or ends with one. GitHub makes no mention, link or reference in a code span.
    public static func codeSpan(_ text: String) -> String {
        let content = line(text)
        var longest = 0
        var run = 0
        for byte in content.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = content.hasPrefix("`") || content.hasSuffix("`") ? " \(content) " : content
        return fence + padded + fence
    }

    // MARK: - Scalars

    /// Whether `text` may hold a character `line` replaces. A byte scan settles nearly every string: C0 and DEL are
    /// single bytes, C1 starts with 0xC2 and the bidi controls with 0xE2; only then are scalars looked at.
    static func needsScalarScan(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }
            && text.unicodeScalars.contains(where: isReplaced)
    }

    private static func isReplaced(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String.UnicodeScalarView) {
        guard isReplaced(scalar) else {
            result.append(scalar)
            return
        }
        switch scalar {
        case "\n", "\r", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": result.append(" ")
        default: result.append("?")
        }
    }
}
