import Foundation
import Spec
import Synchronization

/// Requests allowed per fixed window, per surface. Parsed from `--rate-limit`, e.g.
/// `thinkific=120/min,workos=6000/min` (units `s`, `min`, `h`), or `none`. Thinkific is limited per site
/// (`X-Auth-Subdomain`), every other surface as a whole.
public struct RateLimitPolicy: Sendable, Equatable {
    /// A budget of `requests` per `window` seconds.
    public struct Limit: Sendable, Equatable {
        public var requests: Int
        public var window: Double

        public init(requests: Int, window: Double) {
            self.requests = requests
            self.window = window
        }
    }

    public var limits: [String: Limit]

    public init(_ limits: [String: Limit] = [:]) {
        self.limits = limits
    }

    /// No limits at all: the library default, so tests are never throttled unless they ask.
    public static let none = RateLimitPolicy()
    /// What `stoicprov sandbox` applies without `--rate-limit`: Thinkific's 120 requests per minute per site.
    public static let cliDefault = RateLimitPolicy(["thinkific": Limit(requests: VendorLimits.thinkificPerMinute, window: 60)])

    /// Parses `surface=N/unit[,surface=N/unit…]` or `none`.
    public static func parse(_ text: String) throws(SandboxError) -> RateLimitPolicy {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return .none }
        var limits: [String: Limit] = [:]
        for entry in trimmed.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let rate = parts.count == 2 ? parts[1].split(separator: "/", maxSplits: 1).map(String.init) : []
            guard parts.count == 2, !parts[0].isEmpty, rate.count == 2, let requests = Int(rate[0]), requests > 0 else {
                throw .setting(name: "rate-limit", reason: "'\(entry)' needs the form surface=N/min (or none)")
            }
            let window: Double
            switch rate[1] {
            case "s", "sec", "second": window = 1
            case "min", "minute", "m": window = 60
            case "h", "hour": window = 3600
            default: throw .setting(name: "rate-limit", reason: "unknown unit '\(rate[1])' (s, min or h)")
            }
            limits[parts[0]] = Limit(requests: requests, window: window)
        }
        return RateLimitPolicy(limits)
    }
}

/// Fixed-window counters per key. A window starts with the first request of a key and lasts `window` seconds.
final class RateLimiter: Sendable {
    /// The verdict on one request.
    enum Decision: Equatable {
        /// Within the limit: `remaining` more may follow before the window resets in `resetInSeconds` (the
        /// `RateLimit-Remaining`/`RateLimit-Reset` headers every answer carries); both `nil` with no limit.
        case allowed(limit: Int? = nil, remaining: Int? = nil, resetInSeconds: Int? = nil)
        /// Over the limit; the window resets in this many whole seconds (at least 1).
        case limited(resetInSeconds: Int)
    }

    private struct Window {
        var start: Date
        var count: Int
    }

    private let policy: RateLimitPolicy
    private let clock: @Sendable () -> Date
    private let windows = Mutex<[String: Window]>([:])

    init(policy: RateLimitPolicy, clock: @escaping @Sendable () -> Date) {
        self.policy = policy
        self.clock = clock
    }

    /// Counts one request of `surface` under `key` and says whether it may proceed.
    func check(surface: String, key: String) -> Decision {
        guard let limit = policy.limits[surface] else { return .allowed() }
        let now = clock()
        return windows.withLock { windows in
            if windows.count > 10_000 {
                // Many keys (many subdomains): forget the windows that have ended.
                windows = windows.filter { now.timeIntervalSince($0.value.start) < limit.window }
            }
            var window = windows[key] ?? Window(start: now, count: 0)
            if now.timeIntervalSince(window.start) >= limit.window || now < window.start {
                window = Window(start: now, count: 0)
            }
            window.count += 1
            windows[key] = window
            let reset = max(1, Int((limit.window - now.timeIntervalSince(window.start)).rounded(.up)))
            guard window.count > limit.requests else {
                return .allowed(limit: limit.requests, remaining: limit.requests - window.count, resetInSeconds: reset)
            }
            return .limited(resetInSeconds: reset)
        }
    }

    func reset() {
        windows.withLock { $0.removeAll() }
    }
}
