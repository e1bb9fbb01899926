import Foundation

/// Everything a sandbox is started with. The defaults suit tests: loopback, a free port, no faults, no rate limits,
/// the default seed, no state file.
public struct SandboxConfiguration: Sendable {
    /// Where the seed comes from.
    public enum Seed: Sendable {
        /// `DefaultSeed.yaml`, matching the example workspace.
        case standard
        /// A YAML file (`--seed FILE`).
        case file(String)
        /// YAML text, named `name` in diagnostics.
        case yaml(String, name: String = "<seed>")
    }

    /// Address to bind: a numeric address or `localhost`. Non-loopback addresses need `isPublic`.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (read it from `SandboxServer.start()`'s URL).
    public var port: Int = 0
    /// Allows binding a non-loopback address (`--public`).
    public var isPublic: Bool = false
    /// JSON file the state is restored from on start and saved to after changes (`--state`).
    public var stateFile: String?
    public var seed: Seed = .standard
    /// Delay added to every surface request, in milliseconds (`--latency`).
    public var latencyMilliseconds: Int = 0
    public var faults: FaultPlan = .none
    /// Seed of the generator that decides faults (`--fault-seed`): the same seed replays the same faults for the
    /// same sequence of requests.
    public var faultSeed: UInt64 = 1
    public var rateLimits: RateLimitPolicy = .none
    /// Vendor behaviour profiles per surface (`--profile workos=strict`); none: every surface kind.
    public var profiles = SandboxProfiles()
    public var limits = HTTPLimits()
    /// The surfaces' "now" (Thinkific's `expired`, timestamps, WorkOS ids) and the rate limiter's clock. Tests pin or
    /// advance it; `stoicprov sandbox` sets it from `STOICPROV_NOW` with `clock(startingAt:)`.
    public var clock: @Sendable () -> Date = Date.init
    /// Receives one line per request (`--verbose`) and background errors such as a failed state write.
    /// The library never prints; the command passes a closure that writes to stderr.
    public var log: (@Sendable (String) -> Void)?

    public init() {}
}

extension SandboxConfiguration {
    /// A clock that reads `start` now and moves on with real elapsed time (monotonic, immune to changes of the
    /// system clock). Pinned rather than fixed: rate-limit windows still end, and timestamps still order.
    public static func clock(startingAt start: Date) -> @Sendable () -> Date {
        let origin = ContinuousClock.now
        return {
            let elapsed = origin.duration(to: .now).components
            return start.addingTimeInterval(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        }
    }
}
