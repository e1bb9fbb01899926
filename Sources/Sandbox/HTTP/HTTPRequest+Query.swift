import Foundation

extension HTTPRequest {
    /// Parses a query string (without the `?`) the way HTML forms encode it: `&`-separated `name=value` pairs,
    /// `+` as space, percent-decoding of names and values. Repeated names are kept in order; names such as
    /// `query[email]` are kept verbatim. A pair without `=` has an empty value; empty pairs are skipped.
    public static func parseQuery(_ query: some StringProtocol) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: "=") {
                let name = formDecode(pair[..<equals])
                let value = formDecode(pair[pair.index(after: equals)...])
                items.append((name, value))
            } else {
                items.append((formDecode(pair), ""))
            }
        }
        return items
    }

    /// Percent-decodes `text` after turning `+` into space. Malformed escapes (`%zz`, a trailing `%`) are kept
    /// literally; bytes that are not UTF-8 become U+FFFD.
    public static func formDecode(_ text: some StringProtocol) -> String {
        percentDecode(text, plusAsSpace: true)
    }

    /// Percent-decodes `text` (for paths: `+` stays `+`). Malformed escapes are kept literally.
    public static func percentDecode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexValue(utf8[index + 1]),
                let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else if plusAsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
                index += 1
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
