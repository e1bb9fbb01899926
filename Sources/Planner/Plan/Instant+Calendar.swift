import Spec

extension Instant {
    /// The UTC calendar day the instant falls on: the one place a day is taken from an instant.
    public var day: CalendarDate {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = Instant.civil(fromDays: days)
        return CalendarDate(year: year, month: month, day: day)
    }
}

extension Program {
    /// When the programme starts: 00:00:00 UTC on `starts`.
    public var startInstant: Instant { Instant(starts) }

    /// When the programme ends, and so when its enrollments expire: 23:59:59 UTC on `ends`. The one definition, for
    /// the planner, import and the demo's clock.
    public var endInstant: Instant { Instant(ends, hour: 23, minute: 59, second: 59) }
}
