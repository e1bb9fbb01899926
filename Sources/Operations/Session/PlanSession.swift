import Apply
import Foundation
import Live
import Planner
import Spec

/// Observe, then plan: the library entry point behind `stoicprov plan` (and the first half of `apply DIR`).
public struct PlanSession: Sendable {
    public var workspace: Workspace
    public var observer: Observer

    public init(workspace: Workspace, observer: Observer) {
        self.workspace = workspace
        self.observer = observer
    }

    /// What planning produced and what it cost.
    public struct Outcome: Sendable {
        public var plan: Plan
        /// Requests made while observing, per connection (retries included).
        public var requests: [String: ChannelStats]
        /// Tenants whose observation failed, and why (each is also an error in `plan`).
        public var failures: [String: LiveError] = [:]
        /// What was observed of each tenant that could be read, for callers that show more than the plan (describe).
        public var observations: [String: ObservedTenant] = [:]

        /// The one reason behind a plan in which no tenant could be read because no server could be reached (a
        /// wrong `--sandbox` URL, no network): a single line says more than a plan of errors.
        public var unreachable: LiveError? {
            guard !failures.isEmpty, failures.count == plan.tenants.count else { return nil }
            let reasons = Set(failures.values.map(\.description))
            guard reasons.count == 1, let first = failures.values.first, first.isBeforeRequestReached else { return nil }
            return first
        }
    }

    /// Observes `tenants` (all when `nil`) one after another — each tenant's own reads run concurrently — so each
    /// tenant's request count is its own, then plans them. `now` is rounded down to the second, as saved plans keep it.
    public func plan(tenants: [String]? = nil, now: Date = Date()) async -> Outcome {
        let selected = workspace.tenants.filter { tenant in tenants.map { $0.contains(tenant.id) } ?? true }
        var observations: [String: ObservedTenant] = [:]
        var failures: [String: LiveError] = [:]
        for tenant in selected {
            let before = observer.requests
            do throws(LiveError) {
                var observed = try await observer.observe(ObservationRequest(tenant: tenant))
                observed.requests = Self.difference(observer.requests, before)
                observations[tenant.id] = observed
            } catch {
                failures[tenant.id] = error
            }
        }
        let plan = Planner.plan(
            workspace: workspace, observations: observations, observationFailures: failures.mapValues(\.description),
            tenants: selected.map(\.id),
            now: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), workspaceDigest: workspace.digest)
        var located = plan
        located.workspace = workspace.directory
        return Outcome(plan: located, requests: observer.requests, failures: failures, observations: observations)
    }

    private static func difference(_ after: [String: ChannelStats], _ before: [String: ChannelStats]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for (name, stats) in after {
            let made = stats.requests - (before[name]?.requests ?? 0)
            if made > 0 { counts[name] = made }
        }
        return counts
    }
}
