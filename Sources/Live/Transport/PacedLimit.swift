import Spec
import Synchronization

/// A limit narrower than the connection's that some of its requests share: WorkOS allows
/// `VendorLimits.workosDirectoryUsersPerSecond` `GET /directory_users` a second per directory, whichever group or
/// page a request reads. One `PacedLimit` per directory, shared by every stream reading that directory.
///
/// Requests are spaced evenly (no burst) at the limit less `VendorLimits.workosDirectoryPacingMargin`, so a
/// server's one-second windows never see more than the limit. A 429 that carries no hint (WorkOS's is the bare
/// string `"Ratelimited"`, no `Retry-After`) is not a failed attempt: the next request of the directory waits a
/// whole window (`window`), and the request is sent again. The limit gives up only when `stallBudget` seconds pass
/// without one answer other than a 429 for the directory — no progress, not a count of attempts.
public final class PacedLimit: Sendable {
    /// Seconds of the server's window: how long a 429 without a hint makes the next request wait.
    public let window: Double
    /// Seconds without progress (an answer other than a 429) after which a 429 stands.
    public let stallBudget: Double
    let limiter: RateLimiter
    /// When this limit last saw progress, or first sent (monotonic seconds).
    private let progress = Mutex<Double?>(nil)

    /// - Parameters:
    ///   - requests: requests allowed per `window` seconds.
    ///   - margin: how much slower than the limit to pace (0.1: 10 %).
    public init(requests: Int, window: Double, margin: Double, stallBudget: Double) {
        self.window = window
        self.stallBudget = stallBudget
        let perMinute = Double(max(1, requests)) * 60 / max(0.001, window)
        limiter = RateLimiter(requestsPerMinute: perMinute / (1 + max(0, margin)), burst: 1)
    }

    /// WorkOS's `GET /directory_users` limit for one directory.
    public static func workosDirectory(stallBudget: Double = VendorLimits.workosDirectoryStallSeconds) -> PacedLimit {
        PacedLimit(
            requests: VendorLimits.workosDirectoryUsersPerSecond, window: 1, margin: VendorLimits.workosDirectoryPacingMargin,
            stallBudget: stallBudget)
    }

    /// Claims the next slot; how long to wait for it.
    func reserve(now: Double) -> Double {
        progress.withLock { if $0 == nil { $0 = now } }
        return limiter.reserve(now: now)
    }

    /// An answer other than a 429 came back: the limit is making progress.
    func progressed(now: Double) {
        progress.withLock { $0 = max($0 ?? now, now) }
    }

    /// A 429 without a hint: every later slot waits for the next window. `false` when the limit has made no progress
    /// for `stallBudget` seconds, and the 429 stands.
    func waitForNextWindow(now: Double) -> Bool {
        let since = progress.withLock { $0 ?? now }
        guard now - since < stallBudget else { return false }
        limiter.pause(until: now + window)
        return true
    }
}

/// One `PacedLimit` per key (a WorkOS directory id), made on first use and kept for the client's lifetime.
public final class PacedLimits: Sendable {
    private let make: @Sendable () -> PacedLimit
    private let limits = Mutex<[String: PacedLimit]>([:])

    public init(_ make: @escaping @Sendable () -> PacedLimit) {
        self.make = make
    }

    /// The limit of `key`; every caller with the same key shares it.
    public func limit(_ key: String) -> PacedLimit {
        limits.withLock { limits in
            if let known = limits[key] { return known }
            let made = make()
            limits[key] = made
            return made
        }
    }
}
