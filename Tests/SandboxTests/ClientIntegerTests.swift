import Testing

@testable import Sandbox

/// Client-supplied numbers are read without trapping, whatever their size.
@Suite struct ClientIntegerTests {
    @Test(arguments: [
        ("42", ClientInteger.value(42)), (" 7 ", .value(7)), ("+5", .value(5)), ("-0", .value(0)),
        ("0009", .value(9)), ("9223372036854775807", .value(.max)), ("-9223372036854775808", .value(.min)),
        ("9223372036854775808", .outOfRange), ("-9223372036854775809", .outOfRange),
        (String(repeating: "9", count: 5_000), .outOfRange), ("", .notAnInteger), ("-", .notAnInteger),
        ("1e3", .notAnInteger), ("1.0", .notAnInteger), ("0x10", .notAnInteger), ("٣", .notAnInteger),
        ("+-1", .notAnInteger),
    ])
    func parsesText(_ text: String, _ expected: ClientInteger) {
        #expect(ClientInteger(parsing: text) == expected)
    }

    @Test(arguments: [
        (10.0, ClientInteger.value(10)), (-3.0, .value(-3)), (1e300, .outOfRange), (-1e300, .outOfRange),
        (9_223_372_036_854_775_808.0, .outOfRange), (-9_223_372_036_854_775_808.0, .value(.min)), (2.5, .notAnInteger),
        (.infinity, .notAnInteger), (.nan, .notAnInteger),
    ])
    func readsJSONNumbers(_ number: Double, _ expected: ClientInteger) {
        #expect(ClientInteger(number) == expected)
    }

    @Test func arithmeticSaturates() {
        #expect(Int.max.saturatingAdd(1) == .max)
        #expect(Int.min.saturatingAdd(-1) == .min)
        #expect(Int.max.saturatingMultiply(250) == .max)
        #expect(Int.min.saturatingMultiply(2) == .min)
        #expect((-5).saturatingMultiply(Int.max) == .min)
        #expect(6.saturatingMultiply(7) == 42)
    }
}
