import Foundation

/// Reads a saved plan in pieces, so that a 50,000-person plan (~160 MB, ~170,000 changes) is never one JSON tree in
/// memory: decoding it whole held the file and JSONDecoder's map of it (~190 MB) besides the plan itself.
///
/// The bytes are scanned for structure only (strings, escapes, nesting). Every element of a tenant's `changes`
/// array (`tenants[i].changes[j]`) is decoded alone as soon as its last byte arrives and its bytes dropped; the rest
/// of the document — the outline, with each `changes` array left empty — is kept and decoded at the end, then the
/// changes are put back. Errors are those of decoding the whole document, checked in the same order: not JSON, no
/// or another `format_version`, then the first field that does not decode, with its path.
public struct PlanReader {
    private let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
    /// The document without the changes' bytes.
    private var outline: [UInt8] = []
    /// The changes of each tenant, in order, once decoded.
    private var changes: [[Change]] = []
    private var firstError: PlanFormatError?

    // Scanner state.
    private var containers: [UInt8] = []
    private var inString = false
    private var escaped = false
    /// The last string closed at each depth (a key when a `:` follows), capped at 32 bytes.
    private var text: [UInt8] = []
    private var lastString: [Int: [UInt8]] = [:]
    private var key: [Int: [UInt8]] = [:]
    /// Inside a `tenants[i].changes` array: the current element's bytes.
    private var inChanges = false
    /// The changes read but not yet decoded (`e1,e2,…`): decoded 256 at a time, one decoder call per batch.
    private var element: [UInt8] = []
    private var batchCount = 0
    private var elementOpen = false

    private static let tenantsKey = Array("tenants".utf8)

    public init() {}
    private static let changesKey = Array("changes".utf8)

    /// Takes the next bytes of the document.
    public mutating func feed(_ bytes: Data) {
        bytes.withUnsafeBytes { buffer in
            var index = 0
            while index < buffer.count {
                // Inside a change, bytes that cannot change the structure are copied a run at a time.
                if inChanges, !escaped, containers.count > 4 || (containers.count == 4 && inString) {
                    var end = index
                    if inString {
                        while end < buffer.count, buffer[end] != Self.quote, buffer[end] != Self.backslash { end += 1 }
                    } else {
                        while end < buffer.count, !Self.isStructural(buffer[end]) { end += 1 }
                    }
                    if end > index {
                        element.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index..<end]))
                        index = end
                        continue
                    }
                }
                scan(buffer[index])
                index += 1
            }
        }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    private static func isStructural(_ byte: UInt8) -> Bool {
        byte == quote || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "[")
            || byte == UInt8(ascii: "]")
    }

    private mutating func scan(_ byte: UInt8) {
        let depth = containers.count
        if inChanges, depth >= 4 {
            // An element's bytes go to `element`; the commas between elements go nowhere (the outline's array stays
            // empty); blanks and the closing bracket go to the outline.
            if depth > 4 || inString {
                element.append(byte)
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                endElement(closing: byte == UInt8(ascii: "]"))
                if byte == UInt8(ascii: "]") { outline.append(byte) }
            } else if isBlank(byte) {
                outline.append(byte)
            } else {
                element.append(byte)
                elementOpen = true
            }
        } else {
            outline.append(byte)
        }
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                if depth <= 3 { lastString[depth] = text }
            } else if depth <= 3, text.count < 32 {
                text.append(byte)
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            text.removeAll(keepingCapacity: true)
        case UInt8(ascii: ":"):
            key[depth] = lastString[depth]
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if depth == 2, byte == UInt8(ascii: "{"), containers == [UInt8(ascii: "{"), UInt8(ascii: "[")],
                key[1] == Self.tenantsKey
            {
                changes.append([])
            }
            if depth == 3, byte == UInt8(ascii: "["), key[3] == Self.changesKey, key[1] == Self.tenantsKey,
                containers == [UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "{")]
            {
                inChanges = true
            }
            containers.append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            _ = containers.popLast()
            if inChanges, containers.count == 3 { inChanges = false }
            key[containers.count + 1] = nil
        default:
            break
        }
    }

    private func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    /// A separator or the array's end: the element before it is complete; a full batch, or the last, is decoded.
    private mutating func endElement(closing: Bool) {
        if elementOpen {
            batchCount += 1
            elementOpen = false
        }
        if closing || batchCount >= 256 {
            decodeBatch()
        } else if batchCount > 0 {
            element.append(UInt8(ascii: ","))
        }
    }

    private mutating func decodeBatch() {
        guard !element.isEmpty else { return }
        defer {
            element.removeAll(keepingCapacity: true)
            batchCount = 0
        }
        guard firstError == nil, let tenant = changes.indices.last else { return }
        let base = changes[tenant].count
        do {
            changes[tenant] += try decoder.decode([Change].self, from: Data([UInt8(ascii: "[")] + element + [UInt8(ascii: "]")]))
        } catch let error as DecodingError {
            switch PlanFormatError(error) {
            case .invalid(let inner, let reason): firstError = .invalid(path: Self.path(tenant, base, inner), reason: reason)
            default: firstError = .invalid(path: Self.path(tenant, base, ""), reason: "\(error)")
            }
        } catch {
            firstError = .invalid(path: Self.path(tenant, base, ""), reason: "\(error)")
        }
    }

    /// `[3].action.type` within a batch starting at change `base` → `tenants[t].changes[base + 3].action.type`.
    private static func path(_ tenant: Int, _ base: Int, _ inner: String) -> String {
        let prefix = "tenants[\(tenant)].changes"
        guard inner.hasPrefix("["), let close = inner.firstIndex(of: "]"),
            let offset = Int(inner[inner.index(after: inner.startIndex)..<close])
        else { return prefix + "[\(base)]" + (inner.isEmpty ? "" : "." + inner) }
        return prefix + "[\(base + offset)]" + inner[inner.index(after: close)...]
    }

    /// The plan, once every byte has been fed.
    public func finish() throws(PlanFormatError) -> Plan {
        struct Probe: Decodable {
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
        }
        let data = Data(outline)
        let version: Int?
        do {
            version = try decoder.decode(Probe.self, from: data).formatVersion
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw .notJSON
        } catch {
            version = nil
        }
        guard let version else { throw .missingFormatVersion }
        guard version == Plan.currentFormatVersion else {
            throw .unsupportedFormatVersion(found: version, supported: Plan.currentFormatVersion)
        }
        if let firstError { throw firstError }
        var plan: Plan
        do {
            plan = try decoder.decode(Plan.self, from: data)
        } catch let error as DecodingError {
            throw PlanFormatError(error)
        } catch {
            throw .invalid(path: "", reason: "\(error)")
        }
        guard plan.tenants.count == changes.count else {
            throw .invalid(path: "tenants", reason: "the changes of a tenant could not be told apart")
        }
        for index in plan.tenants.indices where !changes[index].isEmpty {
            plan.tenants[index].changes = changes[index]
        }
        return plan
    }
}
