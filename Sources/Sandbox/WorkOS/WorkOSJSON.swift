import Foundation

/// A small JSON writer for the surface's responses. `JSONSerialization` with sorted keys collates keys through ICU on
/// Linux, which made a 100-user page cost tens of milliseconds; this writes the same values (dictionaries with keys in
/// byte order, arrays, strings, integers, doubles, booleans, `NSNull`, and already-encoded `RawJSON`) directly.
enum WorkOSJSON {
    /// JSON text that is spliced in as is (stored event payloads).
    struct RawJSON {
        var data: Data
    }

    static func response(_ status: Int, _ object: Any) -> HTTPResponse {
        .json(status, data(object))
    }

    static func data(_ object: Any) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        write(object, into: &bytes)
        return Data(bytes)
    }

    private static func write(_ value: Any, into bytes: inout [UInt8]) {
        switch value {
        case let text as String:
            write(string: text, into: &bytes)
        case let number as Int:
            bytes.append(contentsOf: String(number).utf8)
        case let flag as Bool:
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case let number as Double:
            bytes.append(contentsOf: (number.isFinite ? "\(number)" : "null").utf8)
        case let object as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            for (offset, key) in object.keys.sorted().enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                write(string: key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(object[key]!, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case let array as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (offset, item) in array.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case let raw as RawJSON:
            bytes.append(contentsOf: raw.data)
        default:
            bytes.append(contentsOf: "null".utf8)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func write(string: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = string.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
