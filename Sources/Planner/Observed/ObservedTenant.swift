/// Everything read from the live systems for one tenant. A system the tenant does not use is `nil` (or absent).
public struct ObservedTenant: Sendable, Hashable, Codable {
    public var tenant: String
    public var thinkific: ObservedThinkific?
    public var directory: ObservedDirectory?
    /// One per SCIM app the tenant's rules name, by app name.
    public var scimApps: [ObservedSCIMApp]
    /// Requests made to observe this tenant, per connection name (the plan's `observationRequests`).
    public var requests: [String: Int]
    /// Sign-ins through the tenant's SSO connection that the WorkOS events still show (not encoded: the events are
    /// read again, and the durable record is the Thinkific user).
    public var signIns: [SignIn] = []

    enum CodingKeys: String, CodingKey {
        case tenant, thinkific, directory, scimApps, requests
    }

    public init(
        tenant: String, thinkific: ObservedThinkific? = nil, directory: ObservedDirectory? = nil,
        scimApps: [ObservedSCIMApp] = [],
        requests: [String: Int] = [:], signIns: [SignIn] = []
    ) {
        self.signIns = signIns
        self.tenant = tenant
        self.thinkific = thinkific
        self.directory = directory
        self.scimApps = scimApps
        self.requests = requests
    }
}
