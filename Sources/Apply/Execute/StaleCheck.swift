import Live
import Planner

/// Whether a saved plan still describes the world: the workspace's files have the digest the plan recorded, and
/// every change's preconditions hold against a fresh observation of its tenant.
///
/// The precondition logic (fingerprints of observed objects) lives with the planner, in one place; it is passed in
/// as `preconditionFailures`, which returns a sentence per precondition that no longer holds.
public struct StaleCheck: Sendable {
    public typealias PreconditionFailures = @Sendable (TenantPlan, ObservedTenant) -> [String]

    public var preconditionFailures: PreconditionFailures

    public init(preconditionFailures: @escaping PreconditionFailures) {
        self.preconditionFailures = preconditionFailures
    }

    /// The planner's own precondition check (`Preconditions.failures`).
    public static let planner = StaleCheck { Preconditions.failures(of: $0, against: $1) }

    /// What no longer holds (empty when the plan is current). A tenant with changes but no fresh observation is
    /// stale too: nothing shows its preconditions hold.
    public func reasons(plan: Plan, workspaceDigest: String, observed: [ObservedTenant]) -> [String] {
        var reasons: [String] = []
        if plan.workspaceDigest != workspaceDigest {
            reasons.append("the workspace files changed since the plan was made")
        }
        let byTenant = Dictionary(observed.map { ($0.tenant, $0) }, uniquingKeysWith: { first, _ in first })
        for tenant in plan.tenants where !tenant.changes.isEmpty {
            guard let current = byTenant[tenant.tenant] else {
                reasons.append("tenant \(tenant.tenant) could not be observed again")
                continue
            }
            reasons += preconditionFailures(tenant, current).map { "tenant \(tenant.tenant): \($0)" }
        }
        return reasons
    }

    /// Throws `ApplyError.stalePlan` (whose message ends "run stoicprov plan again") unless the plan is current.
    public func check(plan: Plan, workspaceDigest: String, observed: [ObservedTenant]) throws(ApplyError) {
        let reasons = reasons(plan: plan, workspaceDigest: workspaceDigest, observed: observed)
        if !reasons.isEmpty { throw .stalePlan(reasons: reasons) }
    }
}
