import Foundation
import Synchronization

/// The one place that knows every secret value stoicprov resolved, and removes them from text before it is shown or
/// written: a server that repeats the request's credential in an error body must not put the key into a plan, a
/// journal or a terminal.
///
/// `SecretResolver` registers each value it resolves. `scrub` replaces, ignoring ASCII case (CI log masking misses a
/// lower-cased key), every occurrence of each value as it is, JSON-escaped and percent-encoded, and of its base64
/// forms (`key`, `key:` and `:key`, as in a Basic auth header, and every run of base64 that encodes the key at any
/// alignment, so `user:key` is caught whatever `user` is) with `<redacted>`.
///
/// It is applied where server-provided text enters stoicprov (`HTTPChannel`'s error messages) and again at every
/// sink: the CLI's console, the plan file, the journal and the lock file.
public enum SecretScrubber {
    /// What replaces a secret.
    public static let replacement = "<redacted>"
    /// Values shorter than this are not scrubbed (a 3-character "secret" would redact half of every plan); neither
    /// are base64 runs shorter than `minimumFragment`.
    public static let minimumLength = 6
    static let minimumFragment = 8

    private static let state = Mutex(Patterns())

    /// Remembers a resolved secret value so that every later `scrub` removes it.
    public static func register(_ secret: Secret) {
        register(value: secret.exposedValue())
    }

    static func register(value: String) {
        guard value.utf8.count >= minimumLength else { return }
        let forms = variants(of: value)
        state.withLock { patterns in
            for form in forms { patterns.insert(Array(form.utf8)) }
        }
    }

    /// Whether any secret is known (nothing to scrub otherwise).
    public static var isActive: Bool { state.withLock { !$0.all.isEmpty } }

    /// `text` with every known secret replaced by `<redacted>`.
    public static func scrub(_ text: String) -> String {
        let patterns = state.withLock { $0 }
        guard !patterns.all.isEmpty else { return text }
        var text = text
        let scrubbed = text.withUTF8 { patterns.scrub($0) }
        return scrubbed.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// `data` with every known secret replaced by `<redacted>`.
    public static func scrub(_ data: Data) -> Data {
        let patterns = state.withLock { $0 }
        guard !patterns.all.isEmpty else { return data }
        let scrubbed = data.withUnsafeBytes { patterns.scrub($0.bindMemory(to: UInt8.self)) }
        return scrubbed.map { Data($0) } ?? data
    }

    /// Every form of `value` that could appear in text: as is, JSON-escaped, percent-encoded, and base64.
    static func variants(of value: String) -> Set<String> {
        var forms: Set<String> = [value]
        let json = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "/", with: "\\/")
        forms.insert(json)
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        if let encoded = value.addingPercentEncoding(withAllowedCharacters: unreserved) { forms.insert(encoded) }
        for allowed in [CharacterSet.urlQueryAllowed, .alphanumerics] {
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) { forms.insert(encoded) }
        }
        for text in [value, value + ":", ":" + value] { forms.insert(Data(text.utf8).base64EncodedString()) }
        forms.formUnion(base64Fragments(of: Array(value.utf8)))
        return forms.filter { $0.utf8.count >= minimumLength }
    }

    /// The base64 characters that encode `bytes` and nothing else, for each of the three alignments the bytes can
    /// have inside a longer encoded text (`user:key`): the characters shared with neighbouring bytes are left out.
    static func base64Fragments(of bytes: [UInt8]) -> [String] {
        var fragments: [String] = []
        for shift in 0..<3 {
            let padded = [UInt8](repeating: 0, count: shift) + bytes
            let groups = padded.count / 3
            guard groups > 0 else { continue }
            let encoded = Array(Data(padded[..<(groups * 3)]).base64EncodedString().utf8)
            // Characters 0..<skip mix in the padding bytes: 0 for no shift, 2 for one byte, 3 for two.
            let skip = [0, 2, 3][shift]
            guard encoded.count - skip >= minimumFragment else { continue }
            fragments.append(String(decoding: encoded[skip...], as: UTF8.self))
        }
        return fragments
    }
}

/// The known secret forms as lower-cased bytes, with a bitset of their first two bytes (lower-cased), so a single
/// pass over the text looks further only where a form could start: a few table lookups per byte.
private struct Patterns: Sendable {
    var all: Set<[UInt8]> = []
    /// Longest first, so the longest form at a position wins.
    var forms: [[UInt8]] = []
    /// Bit `(first << 8) | second` is set when some form starts with those two (lower-cased) bytes.
    var starts = [UInt64](repeating: 0, count: 1024)

    static let lowered: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        let value = UInt8(byte)
        return value >= 0x41 && value <= 0x5A ? value + 0x20 : value
    }

    mutating func insert(_ form: [UInt8]) {
        let lowered = form.map { Patterns.lowered[Int($0)] }
        guard lowered.count >= 2, all.insert(lowered).inserted else { return }
        forms.append(lowered)
        forms.sort { $0.count > $1.count }
        let pair = Int(lowered[0]) << 8 | Int(lowered[1])
        starts[pair >> 6] |= 1 << UInt64(pair & 63)
    }

    /// The scrubbed bytes, or `nil` when nothing matched.
    func scrub(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2 else { return nil }
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        var matched = false
        let replacement = Array(SecretScrubber.replacement.utf8)
        Patterns.lowered.withUnsafeBufferPointer { lower in
            starts.withUnsafeBufferPointer { starts in
                while index < text.count - 1 {
                    let pair = Int(lower[Int(text[index])]) << 8 | Int(lower[Int(text[index + 1])])
                    guard starts[pair >> 6] & (1 << UInt64(pair & 63)) != 0,
                        let form = forms.first(where: { Patterns.matches($0, text, at: index, lower) })
                    else {
                        index += 1
                        continue
                    }
                    if !matched {
                        matched = true
                        output.reserveCapacity(text.count)
                    }
                    output.append(contentsOf: text[copied..<index])
                    output.append(contentsOf: replacement)
                    index += form.count
                    copied = index
                }
            }
        }
        guard matched else { return nil }
        output.append(contentsOf: text[copied...])
        return output
    }

    private static func matches(
        _ form: [UInt8], _ text: UnsafeBufferPointer<UInt8>, at start: Int, _ lower: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard text.count - start >= form.count else { return false }
        for offset in 0..<form.count where lower[Int(text[start + offset])] != form[offset] { return false }
        return true
    }
}
