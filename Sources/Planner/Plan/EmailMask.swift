/// Hides the person behind an email address while keeping its organisation visible: `ana@pg.com` → `a…@pg.com`.
///
/// Used by the Markdown renderer (PR comments are read by more people than the plan concerns) unless emails are
/// asked for. The rule: the first character of the local part, `…`, then `@` and the domain unchanged.
public enum EmailMask {
    /// Masks one address. The domain is what follows the last `@` (a quoted local part may itself contain `@`);
    /// a value without `@` (a SCIM `userName` that is not an email) is masked whole; an empty local part
    /// gives `…@domain`.
    public static func mask(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@") else {
            return email.first.map { "\($0)…" } ?? ""
        }
        let local = email[..<at]
        let domain = email[email.index(after: at)...]
        let first = local.first.map(String.init) ?? ""
        return first + "…@" + domain
    }

    /// Masks every email-looking word in free text (manual steps, reasons, problem messages), leaving the rest as is.
    public static func maskEmails(in text: String) -> String {
        segments(of: text).map { $0.isEmail ? mask($0.text) : $0.text }.joined()
    }

    /// Splits free text into email addresses and the text between them, in order; joined, the segments give the
    /// text back. A word is a run of characters that are not whitespace, quotes, brackets, commas or semicolons; it
    /// is an email when it has an `@` with something on both sides (a sentence's closing `.` is not part of it).
    public static func segments(of text: String) -> [(text: String, isEmail: Bool)] {
        guard text.contains("@") else { return [(text, false)] }
        var segments: [(text: String, isEmail: Bool)] = []
        var plain = ""
        var word = ""
        func flushWord() {
            let (core, rest) = trimmingTrailingPunctuation(word)
            if isEmail(core) {
                if !plain.isEmpty { segments.append((plain, false)) }
                segments.append((core, true))
                plain = rest
            } else {
                plain += word
            }
            word = ""
        }
        for character in text {
            if isSeparator(character) {
                flushWord()
                plain.append(character)
            } else {
                word.append(character)
            }
        }
        flushWord()
        if !plain.isEmpty { segments.append((plain, false)) }
        return segments
    }

    private static func isSeparator(_ character: Character) -> Bool {
        character.isWhitespace || "\"'`()[]{}<>,;".contains(character)
    }

    private static func isEmail(_ word: String) -> Bool {
        guard let at = word.lastIndex(of: "@") else { return false }
        return at != word.startIndex && word.index(after: at) != word.endIndex
    }

    /// Splits a sentence-ending `.`, `:`, `!` or `?` off a word so that "ana@pg.com." keeps its full stop.
    private static func trimmingTrailingPunctuation(_ word: String) -> (email: String, rest: String) {
        var email = Substring(word)
        var rest = ""
        while let last = email.last, ".:!?".contains(last) {
            rest = String(last) + rest
            email = email.dropLast()
        }
        return (String(email), rest)
    }
}
