import Foundation

/// `page` and `limit` of a list request. `page` is 1-based (default 1); `limit` defaults to 25 and is clamped to
/// 1…250 rather than rejected; values that are not positive integers fall back to the defaults.
struct ThinkificPageRequest: Sendable, Equatable {
    static let defaultLimit = 25
    static let maximumLimit = 250

    var page: Int
    var limit: Int

    init(page: Int = 1, limit: Int = ThinkificPageRequest.defaultLimit) {
        self.page = page
        self.limit = limit
    }

    init(_ request: HTTPRequest) {
        let page = request.queryValue("page").flatMap { ClientInteger(parsing: $0).value } ?? 1
        let limit = request.queryValue("limit").flatMap { ClientInteger(parsing: $0).value } ?? Self.defaultLimit
        self.page = page >= 1 ? page : 1
        self.limit = limit >= 1 ? min(limit, Self.maximumLimit) : Self.defaultLimit
    }

    /// A 400 for a `page` or `limit` written as a whole number too large for the sandbox to count to; anything
    /// else the initializer reads leniently.
    static func outOfRange(_ request: HTTPRequest) -> ThinkificFailure? {
        for name in ["page", "limit"] {
            if let text = request.queryValue(name), ClientInteger(parsing: text) == .outOfRange {
                return .parameterOutOfRange(name)
            }
        }
        return nil
    }

    /// The positions of this page within a list of `total` items (empty past the end).
    func window(total: Int) -> Range<Int> {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        guard !overflow, start < total else { return total..<total }
        return start..<min(start + limit, total)
    }

    /// A page of a random-access collection, copying only the page's items.
    func slice<C: RandomAccessCollection>(_ collection: C) -> ThinkificPage<C.Element> where C.Index == Int {
        let window = window(total: collection.count)
        let base = collection.startIndex
        return ThinkificPage(
            items: Array(collection[(base + window.lowerBound)..<(base + window.upperBound)]), request: self,
            total: collection.count)
    }

    /// A page of the elements of `sequence` that satisfy `isIncluded`, counting all matches but keeping only the page.
    func filter<S: Sequence>(_ sequence: S, _ isIncluded: (S.Element) -> Bool) -> ThinkificPage<S.Element> {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        let first = overflow ? Int.max : start
        var items: [S.Element] = []
        var total = 0
        for element in sequence where isIncluded(element) {
            if total >= first, items.count < limit { items.append(element) }
            total += 1
        }
        return ThinkificPage(items: items, request: self, total: total)
    }
}

/// Lenient readers for JSON body and query values, the way a Rails API coerces parameters.
enum ThinkificValue {
    /// An integer from a JSON number (integral), or a string of decimal digits.
    static func int(_ value: Any?) -> Int? {
        switch value {
        case let text as String:
            return Int(text.trimmingCharacters(in: .whitespaces))
        case let number as NSNumber:
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 1e15 else { return nil }
            return Int(double)
        default:
            return nil
        }
    }

    /// `true`/`false` from JSON booleans or the strings `true`/`false`/`1`/`0`.
    static func bool(_ value: String?) -> Bool? {
        switch value?.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    /// A trimmed, non-empty string.
    static func text(_ value: Any?) -> String? {
        guard let text = (value as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return nil
        }
        return text
    }

    /// The body as a JSON object; an empty body is an empty object, anything else is malformed.
    static func object(_ body: Data) -> [String: Any]? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    /// A plausible email address: something, `@`, a dotted domain, no spaces.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return !text.contains { $0.isWhitespace }
    }
}
