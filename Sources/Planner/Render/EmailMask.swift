/// Hides the person behind an email address while keeping its organisation visible: `ana@pg.com` → `a***@pg.com`.
///
/// Used by the Markdown renderer (PR comments are read by more people than the plan concerns) unless emails are
/// asked for. The rule: the first character of the local part, `***`, then `@` and the domain unchanged.
public enum EmailMask {
    /// Masks one address. The domain is what follows the last `@` (a quoted local part may itself contain `@`);
    /// a value without `@` (a SCIM `userName` that is not an email) is masked whole; an empty local part
    /// gives `***@domain`.
    public static func mask(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@") else {
            return email.isEmpty ? "" : String(email.first!) + "***"
        }
        let local = email[..<at]
        let domain = email[email.index(after: at)...]
        let first = local.first.map(String.init) ?? ""
        return first + "***@" + domain
    }

    /// Masks every email-looking word in free text (manual steps, reasons, problem messages), leaving the rest as is.
    /// A word is a run of characters that are not whitespace, quotes, brackets, commas or semicolons; it is an email
    /// when it has an `@` with something on both sides.
    public static func maskEmails(in text: String) -> String {
        guard text.contains("@") else { return text }
        var result = ""
        var word = ""
        func flush() {
            let (core, rest) = trimmingTrailingPunctuation(word)
            result += isEmail(core) ? mask(core) + rest : word
            word = ""
        }
        for character in text {
            if isSeparator(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
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
