extension Plan {
    /// Changes of every tenant counted together.
    public var counts: ChangeCounts { ChangeCounts(tenants.flatMap(\.changes)) }

    /// Requests made to observe, summed per connection over tenants.
    public var observationRequests: [String: Int] {
        tenants.reduce(into: [:]) { total, tenant in total.merge(tenant.observationRequests, uniquingKeysWith: +) }
    }

    /// Apply estimates summed per connection over tenants (they share each connection's rate limit), by name.
    public var estimates: [ApplyEstimate] {
        var byConnection: [String: ApplyEstimate] = [:]
        for estimate in tenants.flatMap(\.estimates) {
            if var total = byConnection[estimate.connection] {
                total.requests += estimate.requests
                total.seconds += estimate.seconds
                total.requestsPerMinute = total.requestsPerMinute ?? estimate.requestsPerMinute
                total.bindingLimit = total.bindingLimit ?? estimate.bindingLimit
                byConnection[estimate.connection] = total
            } else {
                byConnection[estimate.connection] = estimate
            }
        }
        return byConnection.values.sorted { $0.connection < $1.connection }
    }
}
