/// Everything read from the live systems for one tenant. A system the tenant does not use is `nil` (or absent).
public struct ObservedTenant: Sendable, Hashable, Codable {
    public var tenant: String
    public var thinkific: ObservedThinkific?
    public var directory: ObservedDirectory?
    /// One per SCIM app the tenant's rules name, by app name.
    public var scimApps: [ObservedSCIMApp]
    /// Requests made to observe this tenant, per connection name (the plan's `observationRequests`).
    public var requests: [String: Int]

    public init(
        tenant: String, thinkific: ObservedThinkific? = nil, directory: ObservedDirectory? = nil,
        scimApps: [ObservedSCIMApp] = [],
        requests: [String: Int] = [:]
    ) {
        self.tenant = tenant
        self.thinkific = thinkific
        self.directory = directory
        self.scimApps = scimApps
        self.requests = requests
    }
}
