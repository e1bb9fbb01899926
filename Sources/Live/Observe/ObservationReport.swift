import Planner

/// The outcome of observing several tenants: what was read, what failed, and what it cost.
public struct ObservationReport: Sendable {
    /// Tenants read completely, in request order.
    public var tenants: [ObservedTenant]
    /// Tenants that could not be read, in request order.
    public var failures: [TenantFailure]
    /// Requests made per connection name, retries included (for the plan summary).
    public var requests: [String: ConnectionStats]
    /// How each tenant's Thinkific users were found.
    public var thinkificRoutes: [String: ThinkificUserRoute]

    public var totalRequests: Int { requests.values.reduce(0) { $0 + $1.requests } }
}

public struct TenantFailure: Sendable, Hashable {
    public var tenant: String
    public var error: LiveError

    public init(tenant: String, error: LiveError) {
        self.tenant = tenant
        self.error = error
    }
}
