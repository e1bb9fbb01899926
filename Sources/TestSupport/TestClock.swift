import Live
import Synchronization

/// A clock that never waits: `sleep` records the duration and moves time forward at once, so tests can check
/// pacing and backoff without wall-clock time.
public final class TestClock: Sendable {
    /// Seconds since 1970 at the clock's zero.
    public static let epochOrigin = 1_800_000_000.0

    private struct State {
        var now = 0.0
        var sleeps: [Double] = []
    }

    private let state = Mutex(State())
    private let randomValue: Double

    /// - Parameter random: what the jitter source returns (0.5 makes jitter a factor of exactly 1).
    public init(random: Double = 0.5) {
        randomValue = random
    }

    public var now: Double { state.withLock { $0.now } }
    public var sleeps: [Double] { state.withLock { $0.sleeps } }

    public func sleep(_ seconds: Double) {
        state.withLock { state in
            state.sleeps.append(seconds)
            state.now += max(0, seconds)
        }
    }

    public var environment: ChannelEnvironment {
        ChannelEnvironment(
            now: { self.now }, sleep: { self.sleep($0) }, epochNow: { TestClock.epochOrigin + self.now },
            random: { [randomValue] in randomValue })
    }
}
