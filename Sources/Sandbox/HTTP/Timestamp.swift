import Foundation

/// ISO-8601 date-times as all three surfaces write and read them: UTC with milliseconds and `Z` on the way out
/// (`2026-01-15T12:00:00.000Z`); with or without the fraction, `Z` or an offset, on the way in.
enum Timestamp {
    private static let output = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()
    private static let dateOnly = Date.ISO8601FormatStyle().year().month().day()

    static func format(_ date: Date) -> String {
        date.formatted(output)
    }

    /// A full date-time, with or without fractional seconds; `nil` when `text` is not one.
    static func parse(_ text: String) -> Date? {
        if let date = try? output.parse(text) { return date }
        return try? plain.parse(text)
    }

    /// A bare `YYYY-MM-DD`, as midnight UTC.
    static func parseDay(_ text: String) -> Date? {
        try? dateOnly.parse(text)
    }
}

extension Timestamp {
    /// A date-time as Thinkific reads one: surrounding spaces ignored, and a bare `YYYY-MM-DD` taken as midnight UTC.
    static func parseLenient(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.count == 10 { return parseDay(text) }
        return parse(text)
    }
}
