/// The vendors' published limits: the one home of the defaults that connections, plan estimates and the sandbox use
/// when `stoicprov.yaml` sets no `requests_per_minute`.
public enum VendorLimits {
    /// Thinkific: requests per minute per site (contracts/thinkific.md §6), shared by every process using the site.
    public static let thinkificPerMinute = 120
    /// WorkOS: requests per minute per API key (contracts/workos.md).
    public static let workosPerMinute = 6000
    /// WorkOS Directory Sync: `GET /directory_users` requests per second per directory
    /// (https://workos.com/docs/reference/rate-limits). Over it WorkOS answers 429 with the bare string
    /// `"Ratelimited"` and no `Retry-After`.
    public static let workosDirectoryUsersPerSecond = 4
    /// How much slower than `workosDirectoryUsersPerSecond` a directory's reads are paced (10 %: one read every
    /// 0.275 s), so scheduling jitter between the client and WorkOS's one-second windows rarely tips one over.
    public static let workosDirectoryPacingMargin = 0.1
    /// Seconds a directory's reads may go on meeting 429s with no other answer before the read fails
    /// (`PacedLimit.stallBudget`): a 429 without a hint is a wait for the next window, not a failed attempt.
    public static let workosDirectoryStallSeconds = 60.0
    /// Members per SCIM membership PATCH. AWS IAM Identity Center, the strictest common SCIM service provider,
    /// takes at most 100 member values (and 100 operations) in one PATCH; Entra ID and Okta send membership changes
    /// in batches below that, and scim2-server allows 1,000 operations and 1 MiB (contracts/scim.md §2). 100
    /// members make a body of about 5 KB.
    public static let scimMembersPerPatch = 100
    /// Requests a rate-limited connection sends at once after an idle spell before pacing (`RateLimiter`'s burst).
    public static let pacingBurst = 10
    /// How much slower than the limit a connection paces (2 %), so jitter never tips a fixed window over.
    public static let pacingMargin = 0.02
}

extension ThinkificConnection {
    /// The configured rate, else Thinkific's published one.
    public var effectiveRequestsPerMinute: Int { requestsPerMinute ?? VendorLimits.thinkificPerMinute }
}

extension WorkOSConnection {
    /// The configured rate, else WorkOS's published one.
    public var effectiveRequestsPerMinute: Int { requestsPerMinute ?? VendorLimits.workosPerMinute }
}
