import Foundation

/// Date-times as the Thinkific API writes and reads them: ISO-8601 UTC with milliseconds and `Z` on the way out;
/// with or without fraction or offset, or a bare `YYYY-MM-DD` (midnight UTC), on the way in.
enum ThinkificTime {
    private static let output = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let dateOnly = Date.ISO8601FormatStyle().year().month().day()

    static func format(_ date: Date) -> String {
        date.formatted(output)
    }

    static func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.count == 10 { return try? dateOnly.parse(text) }
        if let date = try? output.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
