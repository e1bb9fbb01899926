import Spec

/// How long applying a tenant's changes takes, from every limit that binds (issue 12):
///
/// - each connection's rate (`requests_per_minute`, else the vendor's published one from `VendorLimits`: Thinkific
///   120/min per site, WorkOS 6,000/min; a SCIM app only when configured), paced as `HTTPChannel` paces: a burst of
///   `VendorLimits.pacingBurst`, then one request per `60 × (1 + margin) / rate` seconds;
/// - WorkOS Directory Sync's 4 requests a second per directory on `GET /directory_users`, which the re-observation
///   under the lock pays: the observation's WorkOS reads are counted at that rate less the pacing margin (all but the
///   few organization and group reads are directory-user pages, so this is a slight overestimate);
/// - requests: the re-observation's, one per change, and one PATCH per `VendorLimits.scimMembersPerPatch` members
///   added to (or removed from) one SCIM group.
///
/// Connections are written to concurrently, so the apply takes about as long as the slowest connection's estimate.
struct ApplyEstimates {
    let connections: Connections
    /// The tenant's people come from a WorkOS directory, so its WorkOS reads are mostly directory-user pages.
    let readsDirectory: Bool

    func estimates(changes: [Change], observationRequests: [String: Int]) -> [ApplyEstimate] {
        var requests = observationRequests.filter { $0.value > 0 }
        var memberships: [String: [String: Int]] = [:]
        for change in changes {
            switch change.action {
            case .addSCIMMember(_, let group, _, _, _):
                memberships[change.destination.name, default: [:]]["+" + group, default: 0] += 1
            case .removeSCIMMember(_, let group, _, _, _):
                memberships[change.destination.name, default: [:]]["-" + group, default: 0] += 1
            default: requests[change.destination.name, default: 0] += 1
            }
        }
        let batch = VendorLimits.scimMembersPerPatch
        for (destination, groups) in memberships {
            requests[destination, default: 0] += groups.values.reduce(0) { $0 + ($1 + batch - 1) / batch }
        }
        return requests.sorted { Destination(name: $0.key) < Destination(name: $1.key) }.map { destination, count in
            let rate = requestsPerMinute(Destination(name: destination))
            let seconds = rate.map { Self.pacedSeconds(requests: count, perMinute: $0) } ?? 0
            let perSecond = VendorLimits.workosDirectoryUsersPerSecond
            // Paced as `PacedLimit.workosDirectory` paces: evenly, the margin slower than the limit.
            let readInterval = (1 + VendorLimits.workosDirectoryPacingMargin) / Double(perSecond)
            if destination == "workos", readsDirectory, let reads = observationRequests["workos"],
                Double(reads) * readInterval > seconds
            {
                return ApplyEstimate(
                    connection: destination, requests: count, requestsPerMinute: rate,
                    seconds: Double(reads) * readInterval, bindingLimit: "\(perSecond)/s per directory")
            }
            return ApplyEstimate(connection: destination, requests: count, requestsPerMinute: rate, seconds: seconds)
        }
    }

    /// The connection's rate: configured, else the vendor's published one; `nil` for an unconfigured SCIM app.
    func requestsPerMinute(_ destination: Destination) -> Int? {
        switch destination {
        case .workos: connections.workos.map(\.effectiveRequestsPerMinute) ?? VendorLimits.workosPerMinute
        case .thinkific: connections.thinkific.map(\.effectiveRequestsPerMinute) ?? VendorLimits.thinkificPerMinute
        case .scim(let app): connections.scim(named: app)?.requestsPerMinute
        }
    }

    /// Seconds to send `requests` paced at `perMinute`: a burst, then one per interval.
    static func pacedSeconds(requests: Int, perMinute: Int) -> Double {
        guard perMinute > 0 else { return 0 }
        let interval = 60 * (1 + VendorLimits.pacingMargin) / Double(perMinute)
        return Double(max(0, requests - VendorLimits.pacingBurst)) * interval
    }
}
