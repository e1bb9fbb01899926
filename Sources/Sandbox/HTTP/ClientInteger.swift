/// A whole number a client sent (a query value, a JSON number), read without trapping: text of any length and
/// JSON numbers of any size become a value, "out of range" or "not an integer", never an arithmetic overflow.
/// Every place a client-supplied number reaches arithmetic or an allocation reads it through here.
enum ClientInteger: Equatable, Sendable {
    /// A whole number that fits in `Int`.
    case value(Int)
    /// A whole number (`99999999999999999999`, `1e300`) that does not fit in `Int`.
    case outOfRange
    /// Anything else: empty text, letters, a fraction.
    case notAnInteger

    /// Reads optional surrounding spaces, an optional sign and decimal digits.
    init(parsing text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits = Substring(trimmed)
        if let sign = digits.first, sign == "-" || sign == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            self = .notAnInteger
            return
        }
        self = Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed).map(Self.value) ?? .outOfRange
    }

    /// Reads a JSON number held as a `Double`: integral and within `Int`, or not.
    init(_ number: Double) {
        guard number.isFinite, number.rounded() == number else {
            self = .notAnInteger
            return
        }
        // 2^63 is exactly representable; every integral Double below it (and at or above -2^63) fits in Int.
        guard number < 9_223_372_036_854_775_808.0, number >= -9_223_372_036_854_775_808.0 else {
            self = .outOfRange
            return
        }
        self = .value(Int(number))
    }

    /// The value, or `nil` when it is out of range or not an integer.
    var value: Int? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension Int {
    /// `self + other`, stopping at `Int.max` / `Int.min` instead of trapping.
    func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self * other`, stopping at `Int.max` / `Int.min` instead of trapping.
    func saturatingMultiply(_ other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
