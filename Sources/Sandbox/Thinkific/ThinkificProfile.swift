import Foundation
import Spec
import Synchronization

/// How the Thinkific surface behaves at its edges: `stoicprov sandbox --profile thinkific=NAME` (docs/sandbox.md,
/// each behaviour with its public source). `kind` is the sandbox as it always was; the `vendor` profiles imitate what
/// Thinkific documents and what its clients report from the field:
///
/// - `RateLimit-Reset` in one of the forms Thinkific's pages and clients disagree on (`ResetForm`), never
///   `Retry-After`;
/// - `RateLimit-Limit` and `RateLimit-Remaining` on every answer of the origin, 429s included;
/// - at most `maxConcurrentPerKey` requests in flight per site (API key): the next is answered 429;
/// - occasional Cloudflare gateway errors (520, 522, 524) with an HTML body. A 522 (origin unreachable) and a 520
///   never reach the site; a 524 (origin timed out) does — its write happens, its answer is lost;
/// - 120 requests a minute per site unless `--rate-limit` names another Thinkific limit.
public struct ThinkificProfile: Sendable, Equatable {
    /// The unit and origin of `RateLimit-Reset`.
    public enum ResetForm: String, Sendable, CaseIterable {
        /// When the window resets, in milliseconds since 1970 (13 digits): a community client reads it so.
        case epochMilliseconds = "epoch-ms"
        /// When the window resets, in seconds since 1970 (10 digits): one of Thinkific's pages.
        case epochSeconds = "epoch-s"
        /// Seconds until the reset: how several clients read it.
        case secondsUntilReset = "delta-s"
        /// Milliseconds until the reset: the other of Thinkific's pages.
        case millisecondsUntilReset = "delta-ms"
    }

    public var name: String
    /// `nil`: seconds until the reset with `Retry-After` (the kind sandbox).
    public var resetForm: ResetForm?
    public var budgetOnEveryResponse: Bool
    public var maxConcurrentPerKey: Int?
    /// Probability of a gateway error per request, split evenly over 520, 522 and 524.
    public var gatewayErrorRate: Double
    /// The site's limit when `--rate-limit` names none for Thinkific.
    public var requestsPerMinute: Int?

    public init(
        name: String, resetForm: ResetForm?, budgetOnEveryResponse: Bool = false, maxConcurrentPerKey: Int? = nil,
        gatewayErrorRate: Double = 0, requestsPerMinute: Int? = nil
    ) {
        self.name = name
        self.resetForm = resetForm
        self.budgetOnEveryResponse = budgetOnEveryResponse
        self.maxConcurrentPerKey = maxConcurrentPerKey
        self.gatewayErrorRate = gatewayErrorRate
        self.requestsPerMinute = requestsPerMinute
    }

    /// The sandbox as before profiles: no concurrency limit, no gateway errors, `Retry-After` on 429s.
    public static let kind = ThinkificProfile(name: "kind", resetForm: nil)

    /// The vendor's manners with `RateLimit-Reset` in `form`.
    public static func vendor(_ form: ResetForm, name: String) -> ThinkificProfile {
        ThinkificProfile(
            name: name, resetForm: form, budgetOnEveryResponse: true, maxConcurrentPerKey: 10, gatewayErrorRate: 0.01,
            requestsPerMinute: VendorLimits.thinkificPerMinute)
    }

    /// Every profile by name: `kind`, `vendor` (epoch milliseconds), `vendor-seconds` (epoch seconds),
    /// `vendor-delta-seconds` and `vendor-delta-ms` (time until the reset).
    public static let all: [ThinkificProfile] = [
        .kind, .vendor(.epochMilliseconds, name: "vendor"), .vendor(.epochSeconds, name: "vendor-seconds"),
        .vendor(.secondsUntilReset, name: "vendor-delta-seconds"),
        .vendor(.millisecondsUntilReset, name: "vendor-delta-ms"),
    ]

    public static func named(_ name: String) throws(SandboxError) -> ThinkificProfile {
        guard let profile = all.first(where: { $0.name == name }) else {
            let names = all.map(\.name).joined(separator: ", ")
            throw .setting(name: "profile", reason: "no Thinkific profile '\(name)' (one of \(names))")
        }
        return profile
    }

    /// The rate limits with this profile's Thinkific limit added, unless they name one already.
    func applying(to policy: RateLimitPolicy) -> RateLimitPolicy {
        guard let requestsPerMinute, policy.limits["thinkific"] == nil else { return policy }
        var limits = policy.limits
        limits["thinkific"] = RateLimitPolicy.Limit(requests: requestsPerMinute, window: 60)
        return RateLimitPolicy(limits)
    }

    /// The `RateLimit-Reset` value for a reset `seconds` from `now` (wall-clock time, as the real server's).
    func resetValue(inSeconds seconds: Int, now: Date) -> String {
        switch resetForm {
        case .epochMilliseconds: String(Int64((now.timeIntervalSince1970 + Double(seconds)) * 1000))
        case .epochSeconds: String(Int64((now.timeIntervalSince1970 + Double(seconds)).rounded(.up)))
        case .millisecondsUntilReset: String(seconds * 1000)
        case .secondsUntilReset, nil: String(seconds)
        }
    }
}

/// A profile at work in one sandbox: requests in flight per site and the gateway errors' generator.
final class ThinkificEdge: Sendable {
    let profile: ThinkificProfile
    private let inFlight = Mutex<[String: Int]>([:])
    private let generator: Mutex<SeededGenerator>
    private let limit: Int?

    init(profile: ThinkificProfile, seed: UInt64, rateLimits: RateLimitPolicy) {
        self.profile = profile
        generator = Mutex(SeededGenerator(seed: seed ^ 0x7468_696e_6b69_6663))
        limit = rateLimits.limits["thinkific"]?.requests
    }

    /// Serves one request of site `key` through the profile: the concurrency limit, gateway errors, then `origin`
    /// (the rate limit, faults and the surface) with the answer's rate-limit headers in the profile's form.
    func serve(key: String, onLimited: () -> Void, _ origin: () -> HTTPReply) -> HTTPReply {
        guard enter(key) else {
            onLimited()
            return .response(finish(SandboxRouter.tooManyRequests(surface: "thinkific", resetInSeconds: 1)))
        }
        defer { leave(key) }
        if let gateway = nextGatewayError() {
            // 524: the origin did the work, the edge gave up waiting; 520 and 522 never reached it.
            if gateway == 524 { _ = origin() }
            return .response(Self.gatewayError(gateway))
        }
        switch origin() {
        case .drop: return .drop
        case .response(let response): return .response(finish(response))
        }
    }

    /// The rate-limit headers in the profile's form: the router writes seconds until the reset.
    func finish(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        guard profile.resetForm != nil else { return response }
        response.headers = HTTPHeaders(response.headers.fields.filter { $0.name.lowercased() != "retry-after" })
        if let reset = response.headers["RateLimit-Reset"].flatMap({ Int($0) }) {
            response.headers.set("RateLimit-Reset", profile.resetValue(inSeconds: reset, now: Date()))
        }
        if profile.budgetOnEveryResponse, let limit {
            if response.headers["RateLimit-Limit"] == nil { response.headers.set("RateLimit-Limit", String(limit)) }
            if response.status == 429 { response.headers.set("RateLimit-Remaining", "0") }
        }
        return response
    }

    private func enter(_ key: String) -> Bool {
        inFlight.withLock { counts in
            let current = counts[key] ?? 0
            if let maximum = profile.maxConcurrentPerKey, current >= maximum { return false }
            counts[key] = current + 1
            return true
        }
    }

    private func leave(_ key: String) {
        inFlight.withLock { counts in
            let left = (counts[key] ?? 1) - 1
            counts[key] = left > 0 ? left : nil
        }
    }

    private func nextGatewayError() -> Int? {
        guard profile.gatewayErrorRate > 0 else { return nil }
        let roll = generator.withLock { $0.unit() }
        guard roll < profile.gatewayErrorRate else { return nil }
        return [520, 522, 524][min(2, Int(roll / profile.gatewayErrorRate * 3))]
    }

    /// A Cloudflare error page, as the edge in front of api.thinkific.com answers.
    static func gatewayError(_ status: Int) -> HTTPResponse {
        let title =
            switch status {
            case 522: "Connection timed out"
            case 524: "A timeout occurred"
            default: "Web server is returning an unknown error"
            }
        let html = """
            <!DOCTYPE html>
            <html lang="en-US"><head><title>api.thinkific.com | \(status): \(title)</title></head>
            <body><h1>\(title)</h1><span>Error code \(status)</span><p>Cloudflare Ray ID: 0000000000000000</p></body></html>

            """
        var headers = HTTPHeaders()
        headers.set("Content-Type", "text/html; charset=UTF-8")
        headers.set("Server", "cloudflare")
        return HTTPResponse(status: status, headers: headers, body: Data(html.utf8))
    }
}
