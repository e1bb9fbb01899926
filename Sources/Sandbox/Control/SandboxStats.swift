import Foundation
import Synchronization

/// Counters behind `GET /_sandbox/stats`: requests per surface, per method and route template, 429s from the rate
/// limiter and injected faults by kind. Counts requests whatever their credentials.
final class SandboxStats: Sendable {
    private struct SurfaceCounts {
        var requests = 0
        var routes: [String: Int] = [:]
        var rateLimited = 0
        var faults: [FaultPlan.Kind: Int] = [:]
    }

    private let counts = Mutex<[String: SurfaceCounts]>([:])

    /// A request reached a surface's prefix (whatever happened next).
    func countRequest(surface: String) {
        counts.withLock { $0[surface, default: SurfaceCounts()].requests += 1 }
    }

    /// The surface handled a request matching `route` (`GET /users/{id}`; `GET (unmatched)` without a template).
    func countRoute(surface: String, route: String) {
        counts.withLock { $0[surface, default: SurfaceCounts()].routes[route, default: 0] += 1 }
    }

    func countRateLimited(surface: String) {
        counts.withLock { $0[surface, default: SurfaceCounts()].rateLimited += 1 }
    }

    func countFault(surface: String, kind: FaultPlan.Kind) {
        counts.withLock { $0[surface, default: SurfaceCounts()].faults[kind, default: 0] += 1 }
    }

    func reset() {
        counts.withLock { $0.removeAll() }
    }

    /// The stats document (see docs/sandbox.md): totals, then per surface.
    func jsonObject(surfaceNames: [String]) -> [String: Any] {
        let snapshot = counts.withLock { $0 }
        var surfaces: [String: Any] = [:]
        var totalRequests = 0
        var totalLimited = 0
        var totalFaults: [String: Int] = [:]
        for name in Set(surfaceNames).union(snapshot.keys) {
            let entry = snapshot[name] ?? SurfaceCounts()
            var faults: [String: Int] = [:]
            for kind in FaultPlan.Kind.allCases {
                faults[kind.rawValue] = entry.faults[kind] ?? 0
                totalFaults[kind.rawValue, default: 0] += entry.faults[kind] ?? 0
            }
            surfaces[name] = [
                "requests": entry.requests, "routes": entry.routes, "rate_limited": entry.rateLimited, "faults": faults,
            ]
            totalRequests += entry.requests
            totalLimited += entry.rateLimited
        }
        for kind in FaultPlan.Kind.allCases where totalFaults[kind.rawValue] == nil { totalFaults[kind.rawValue] = 0 }
        return ["requests": totalRequests, "rate_limited": totalLimited, "faults": totalFaults, "surfaces": surfaces]
    }
}
