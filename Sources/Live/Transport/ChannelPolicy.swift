import Spec

/// How a `HTTPChannel` paces and retries. Defaults suit a read-heavy plan; each vendor has a factory.
public struct ChannelPolicy: Sendable, Hashable {
    /// Requests per minute the server allows; `nil` for no pacing.
    public var requestsPerMinute: Double?
    /// How much slower than the limit to pace (0.02: 2 %), so that network jitter between the first request of the
    /// server's window and the last never tips a fixed-window counter over.
    public var pacingMargin: Double
    /// Requests in flight at once.
    public var maxConcurrentRequests: Int
    /// Tries per request, the first included.
    public var maxAttempts: Int
    /// First backoff delay in seconds; doubles per attempt, jittered to 50–150 %.
    public var baseDelay: Double
    /// Cap on one backoff delay, and on one wait for a 429's reset hint.
    public var maxDelay: Double
    /// Seconds before one request times out.
    public var timeout: Double

    public init(
        requestsPerMinute: Double? = nil, maxConcurrentRequests: Int = 8, maxAttempts: Int = 5, baseDelay: Double = 0.5,
        maxDelay: Double = 60, timeout: Double = 30, pacingMargin: Double = VendorLimits.pacingMargin
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.pacingMargin = pacingMargin
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// Thinkific: 120 requests per minute per site (`VendorLimits`) unless the site has a higher limit.
    public static func thinkific(requestsPerMinute: Double? = Double(VendorLimits.thinkificPerMinute)) -> ChannelPolicy {
        ChannelPolicy(requestsPerMinute: requestsPerMinute)
    }

    /// WorkOS: 6,000 requests per minute per API key (`VendorLimits`).
    public static func workos(requestsPerMinute: Double? = Double(VendorLimits.workosPerMinute)) -> ChannelPolicy {
        ChannelPolicy(requestsPerMinute: requestsPerMinute)
    }

    /// A SCIM service provider: no published limit, so none unless configured.
    public static func scim(requestsPerMinute: Double? = nil) -> ChannelPolicy {
        ChannelPolicy(requestsPerMinute: requestsPerMinute)
    }
}

/// What one connection has done, for the plan summary.
public struct ChannelStats: Sendable, Hashable, Codable {
    /// Requests sent, retries included.
    public var requests = 0
    /// Of those, how many were retries.
    public var retries = 0
    /// 429 answers received.
    public var rateLimited = 0

    public init(requests: Int = 0, retries: Int = 0, rateLimited: Int = 0) {
        self.requests = requests
        self.retries = retries
        self.rateLimited = rateLimited
    }
}
