import Foundation
import Synchronization

/// A wall clock for a sandbox surface or server under test: it stands still until the test moves it, so expiries,
/// rate-limit windows and timestamps are checked without waiting. (`TestClock` is the transport's monotonic clock.)
public final class MovableClock: Sendable {
    private let current: Mutex<Date>

    public init(at start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }

    /// The clock as a surface takes it.
    public var function: @Sendable () -> Date { { self.now } }
}
