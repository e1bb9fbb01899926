import Foundation
import Spec

/// A moment to the whole second, as plans, journals and locks write it and as the APIs' dates are compared. Parsing
/// and formatting are done by hand so that planning stays pure and fast (no formatter objects, no locale, no time
/// zone database); the Apply module writes its instants (expiries, journal and lock times) through it too.
public struct Instant: Hashable, Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    public init(_ date: Date) {
        self.seconds = Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// The instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(seconds)) }

    /// `day` at `hour:minute:second` UTC.
    init(_ day: CalendarDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = Instant.daysFromCivil(day.year, day.month, day.day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Parses `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with optional fraction and `Z` or `±HH:MM` offset (as
    /// Thinkific writes dates). Fractions are dropped: the plan compares to the second.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte) - 48
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45, let year = number(0, 4), let month = number(5, 2),
            let day = number(8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var total = Instant.daysFromCivil(year, month, day) * 86_400
        guard bytes.count > 10 else {
            self.seconds = total
            return
        }
        guard bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, bytes.count >= 19, bytes[13] == 58, bytes[16] == 58,
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        total += hour * 3600 + minute * 60 + second
        var index = 19
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        }
        if index < bytes.count {
            switch bytes[index] {
            case 90, 122: index += 1
            case 43, 45:
                let sign = bytes[index] == 43 ? 1 : -1
                guard let offsetHours = number(index + 1, 2) else { return nil }
                index += 3
                var offsetMinutes = 0
                if index < bytes.count, bytes[index] == 58 { index += 1 }
                if let minutes = number(index, 2) {
                    offsetMinutes = minutes
                    index += 2
                }
                total -= sign * (offsetHours * 3600 + offsetMinutes * 60)
            default: return nil
            }
        }
        guard index == bytes.count else { return nil }
        self.seconds = total
    }

    /// `2026-12-18T23:59:59Z`.
    public var iso: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (year, month, day) = Instant.civil(fromDays: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):"
            + "\(pad(rest % 60, 2))Z"
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }

    // Howard Hinnant's days-from-civil and civil-from-days algorithms (proleptic Gregorian calendar).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
