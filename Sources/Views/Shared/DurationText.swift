import Foundation

/// How every view writes a span of time. Two forms, one each for two questions:
/// - `estimate`: how long something *will* take (plan estimates, the apply's ETA): rough, rounded up,
///   `26 s`, `7 min`, `2 h 5 min`;
/// - `elapsed`: how long something *took* (the apply report): measured, `42.1 s`, `3m04s`, `1h02m`.
public enum DurationText {
    /// `26 s`, `7 min`, `2 h 5 min`, rounded up.
    public static func estimate(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 90 { return "\(whole) s" }
        let minutes = (whole + 59) / 60
        if minutes < 90 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// `42.1 s`, `3m04s`, `1h02m`.
    public static func elapsed(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }
}
