import Foundation
import Sandbox

/// "Now" for every command that needs it: the real clock, or — with `STOICPROV_NOW` set to an ISO-8601 instant
/// (`2026-11-27T12:00:00Z`) — a clock that starts at that instant and moves on with real elapsed time, so tests and
/// demos behave the same whatever the date. The only place the variable is read.
public enum Now {
    public static let variable = "STOICPROV_NOW"

    /// The instant `STOICPROV_NOW` names; `nil` when it is unset or empty. A malformed value is an error naming the
    /// variable.
    public static func pinned(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(OperationsError) -> Date? {
        guard let text = environment[variable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let date = parse(text) else { throw .invalidNow(variable: variable, value: text) }
        return date
    }

    /// The clock a command runs on: `STOICPROV_NOW` moving on from its instant, else the real clock.
    public static func clock(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(OperationsError) -> @Sendable () -> Date {
        try clock(startingAt: pinned(environment))
    }

    /// A clock starting at `start` (moving on with real elapsed time), or the real clock when `start` is `nil`.
    public static func clock(startingAt start: Date?) -> @Sendable () -> Date {
        start.map(SandboxConfiguration.clock(startingAt:)) ?? Date.init
    }

    /// `2026-11-27T12:00:00Z`, with or without fractional seconds, `Z` or a numeric offset.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
