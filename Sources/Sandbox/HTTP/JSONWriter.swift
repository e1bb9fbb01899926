import Foundation

/// The one JSON writer of the sandbox's response bodies, used by all three surfaces.
///
/// `JSONSerialization` with sorted keys collates keys through ICU on Linux, which made a 100-user WorkOS page cost
/// tens of milliseconds; this writes values directly: dictionaries with keys in byte order, arrays, strings,
/// integers, doubles (as `JSONEncoder` writes them), booleans, `NSNull` (and `nil`) as `null`, already-encoded
/// `JSONWriter.Raw`, and any `JSONWritable` (a surface's own value type, which may also write an object field by
/// field with `beginObject`, `key` and `endObject`, keys in byte order, skipping boxing and sorting).
struct JSONWriter {
    /// JSON text that is spliced in as is (stored event payloads).
    struct Raw {
        var data: Data
    }

    private(set) var bytes: [UInt8] = []
    /// Whether `/` is written as `\/`, as `JSONEncoder` does by default (Thinkific's bodies always were).
    let isEscapingSlashes: Bool
    /// Whether the object being written field by field has no field yet.
    private var isFirstField = true

    init(escapingSlashes: Bool = false) {
        isEscapingSlashes = escapingSlashes
        bytes.reserveCapacity(1024)
    }

    /// The bytes of one value.
    static func data(_ value: Any, escapingSlashes: Bool = false) -> Data {
        var writer = JSONWriter(escapingSlashes: escapingSlashes)
        writer.write(value)
        return Data(writer.bytes)
    }

    /// A JSON response whose body is `value` written by this writer.
    static func response(
        _ status: Int, _ value: Any, escapingSlashes: Bool = false,
        contentType: String = "application/json; charset=utf-8"
    ) -> HTTPResponse {
        .json(status, data(value, escapingSlashes: escapingSlashes), contentType: contentType)
    }

    // MARK: - Field by field

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        isFirstField = true
    }

    /// The next field's key; its value is whatever is written next. Keys must come in byte order.
    mutating func key(_ key: String) {
        if !isFirstField { bytes.append(UInt8(ascii: ",")) }
        isFirstField = false
        write(string: key)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        isFirstField = false
    }

    mutating func write(string: String?) {
        if let string { write(string: string) } else { writeNull() }
    }

    mutating func write(int: Int?) {
        if let int { write(int: int) } else { writeNull() }
    }

    mutating func write(double: Double?) {
        if let double { write(double: double) } else { writeNull() }
    }

    // MARK: - Values

    /// Writes a Foundation JSON value (see the type's summary for what it takes); anything else is `null`.
    mutating func write(_ value: Any) {
        switch value {
        case let text as String:
            write(string: text)
        case let number as Int:
            write(int: number)
        case let flag as Bool:
            write(bool: flag)
        case let number as Double:
            write(double: number)
        case let object as [String: Any]:
            writeObject(sortingKeysOf: object) { writer, item in writer.write(item) }
        case let array as [Any]:
            writeArray(array) { writer, item in writer.write(item) }
        case let raw as Raw:
            bytes.append(contentsOf: raw.data)
        case let value as any JSONWritable:
            value.write(into: &self)
        default:
            writeNull()
        }
    }

    mutating func writeNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func write(bool: Bool) {
        bytes.append(contentsOf: (bool ? "true" : "false").utf8)
    }

    mutating func write(int: Int) {
        bytes.append(contentsOf: String(int).utf8)
    }

    /// A finite double as `JSONEncoder` writes it (shortest round-trip form, a whole number without `.0`); a
    /// non-finite one (not JSON) as `null`.
    mutating func write(double: Double) {
        guard double.isFinite else { return writeNull() }
        var text = double.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// An object with `object`'s keys in sorted order, each followed by what `value` writes for its value.
    mutating func writeObject<Value>(sortingKeysOf object: [String: Value], value: (inout JSONWriter, Value) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        var isFirst = true
        for (key, item) in object.sorted(by: { $0.key < $1.key }) {
            if !isFirst { bytes.append(UInt8(ascii: ",")) }
            isFirst = false
            write(string: key)
            bytes.append(UInt8(ascii: ":"))
            value(&self, item)
        }
        bytes.append(UInt8(ascii: "}"))
        isFirstField = false
    }

    mutating func writeArray<Items: Sequence>(_ items: Items, element: (inout JSONWriter, Items.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var isFirst = true
        for item in items {
            if !isFirst { bytes.append(UInt8(ascii: ",")) }
            isFirst = false
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
        isFirstField = false
    }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = string.utf8
        let slash: UInt8 = isEscapingSlashes ? UInt8(ascii: "/") : UInt8(ascii: "\"")
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == slash }) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "/") where isEscapingSlashes:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A surface's own JSON value type that writes itself through `JSONWriter` (SCIM's case-preserving values).
protocol JSONWritable {
    func write(into writer: inout JSONWriter)
}
