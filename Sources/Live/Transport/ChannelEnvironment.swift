import Foundation

/// The clock, sleep and randomness a `HTTPChannel` uses, as closures so tests can substitute a fake clock that
/// advances instantly instead of waiting, and a fixed random source.
public struct ChannelEnvironment: Sendable {
    /// Monotonic seconds since an arbitrary origin (for spacing requests).
    public var now: @Sendable () -> Double
    /// Suspends for that many seconds; throws when the task is cancelled.
    public var sleep: @Sendable (Double) async throws -> Void
    /// Seconds since 1970 (for reset hints given as epoch times).
    public var epochNow: @Sendable () -> Double
    /// A number in `0..<1`, for jitter.
    public var random: @Sendable () -> Double

    public init(
        now: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (Double) async throws -> Void,
        epochNow: @escaping @Sendable () -> Double, random: @escaping @Sendable () -> Double
    ) {
        self.now = now
        self.sleep = sleep
        self.epochNow = epochNow
        self.random = random
    }

    /// The real clock and `Task.sleep`.
    public static var live: ChannelEnvironment {
        let origin = ContinuousClock.now
        return ChannelEnvironment(
            now: {
                let elapsed = ContinuousClock.now - origin
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            },
            sleep: { seconds in
                guard seconds > 0 else { return }
                try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
            },
            epochNow: { Date().timeIntervalSince1970 },
            random: { Double.random(in: 0..<1) }
        )
    }
}
