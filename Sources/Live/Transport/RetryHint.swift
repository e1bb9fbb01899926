import Foundation

/// Reads how long a 429 asks the client to wait.
///
/// `Retry-After` is delta-seconds or an HTTP date. Thinkific's `RateLimit-Reset` is documented both as an epoch time
/// and as a time until reset (contracts/thinkific.md §6), so its number is read by size: 13 digits or more are epoch
/// milliseconds, 10–12 digits epoch seconds, anything smaller seconds until the reset — unless it is longer than a
/// minute and the longest wait allowed, when it can only be milliseconds until the reset. Every wait is bounded by
/// `maximum` (a reset an hour away waits the maximum, then asks again), and a reset already past falls back to the
/// caller's backoff.
enum RetryHint {
    static func delay(in response: TransportResponse, epochNow: Double, maximum: Double) -> Double? {
        if let value = response.header("Retry-After") {
            if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return clamp(seconds, maximum) }
            if let date = httpDate(value) { return clamp(date.timeIntervalSince1970 - epochNow, maximum) }
        }
        for name in ["RateLimit-Reset", "X-RateLimit-Reset"] {
            if let value = response.header(name), let number = Double(value.trimmingCharacters(in: .whitespaces)) {
                // A reset already past (a skewed clock, an epoch read in the wrong unit) is no hint: the caller backs off.
                let delay = resetDelay(number, epochNow: epochNow, maximum: maximum)
                return delay > 0 ? clamp(delay, maximum) : nil
            }
        }
        return nil
    }

    /// The server's budget for the current window (`RateLimit-Remaining` and `RateLimit-Reset`, IETF draft
    /// `ratelimit-headers` and Thinkific's names), when an answer carries both.
    static func budget(in response: TransportResponse, epochNow: Double, maximum: Double) -> (remaining: Int, resetIn: Double)? {
        guard let remainingText = response.header("RateLimit-Remaining") ?? response.header("X-RateLimit-Remaining"),
            let remaining = Int(remainingText.trimmingCharacters(in: .whitespaces)),
            let resetText = response.header("RateLimit-Reset") ?? response.header("X-RateLimit-Reset"),
            let number = Double(resetText.trimmingCharacters(in: .whitespaces))
        else { return nil }
        return (max(0, remaining), clamp(resetDelay(number, epochNow: epochNow, maximum: maximum), maximum))
    }

    /// Seconds until the reset. A number of seconds until the reset is never above a minute (Thinkific's window) nor
    /// above the longest wait allowed, so a larger one is milliseconds — a short `maximum` (a test's 2 s) must not turn
    /// "5 seconds" into 5 ms.
    static func resetDelay(_ number: Double, epochNow: Double, maximum: Double) -> Double {
        if number >= 1e12 { return number / 1000 - epochNow }
        if number >= 1e9 { return number - epochNow }
        if number > max(maximum, 60) { return number / 1000 }
        return number
    }

    private static func clamp(_ seconds: Double, _ maximum: Double) -> Double {
        min(max(seconds, 0), maximum)
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
