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
    /// Vendor behaviour profiles per surface (`--profile workos=strict`); none: every surface kind. SCIM's are in
    /// `scimProfiles`.
    public var profiles = SandboxProfiles()
    /// How Thinkific behaves at its edges (`--profile thinkific=NAME`), read from `profiles`.
    public var thinkificProfile: ThinkificProfile = .kind
    /// How the SCIM apps behave (`--profile scim=NAME`, `scim:APP=NAME`; names add up): the kind default unless a
    /// profile is named.
    public var scimProfiles = SCIMProfiles.none
    public var limits = HTTPLimits()
    /// Seconds WorkOS's `/events` keeps an event (`--event-retention`; default WorkOS's documented 30 days).
    public var eventRetention: Double = WorkOSSurface.defaultEventRetention
    /// The surfaces' "now" (Thinkific's `expired`, timestamps, WorkOS ids) and the rate limiter's clock. Tests pin or
    /// advance it; `stoicprov sandbox` sets it from `STOICPROV_NOW` with `clock(startingAt:)`.
    public var clock: @Sendable () -> Date = Date.init
    /// Receives one line per request (`--verbose`) and background errors such as a failed state write.
    /// The library never prints; the command passes a closure that writes to stderr.
    public var log: (@Sendable (String) -> Void)?

    public init() {}
}

extension SandboxConfiguration {
    /// Seconds in an event retention written `90s`, `15m`, `1h` or `30d`: a whole number from 1 and a unit, at most
    /// ten years; `nil` for anything else.
    public static func retention(parsing text: String) -> Double? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last, let scale = units[unit], text.count <= 12,
            text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(text.dropLast()), count >= 1,
            count <= 3650 * 86_400 / scale
        else { return nil }
        return Double(count * scale)
    }

    /// Applies one `--profile SURFACE=NAME[,SURFACE=NAME…]` (repeatable; docs/sandbox.md lists each surface's
    /// profiles). SCIM entries (`scim=…`, `scim:APP=…`) add up; another surface given two profiles is refused, as is
    /// a surface or profile that does not exist.
    public mutating func applyProfile(_ text: String) throws(SandboxError) {
        let others = try scimProfiles.parse(text)
        var merged = profiles
        for (surface, name) in try SandboxProfiles.parse(others.joined(separator: ",")).names.sorted(by: { $0.key < $1.key }) {
            guard merged.names[surface] == nil else {
                throw .setting(name: "profile", reason: "the surface '\(surface)' is given more than one profile")
            }
            merged.names[surface] = name
        }
        try merged.check(known: SandboxServer.knownProfiles)
        profiles = merged
        thinkificProfile = try ThinkificProfile.named(profiles["thinkific"] ?? ThinkificProfile.kind.name)
    }

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
