// The Planner module; see docs/ARCHITECTURE.md.
import Foundation
import Spec

/// Computes plans: a pure function from the workspace and what was observed of the live systems to the changes
/// that would make them match (DESIGN §3–5). No I/O, no clock, no randomness: the same inputs give the same plan.
///
/// Stages, per tenant: WorkOS (organization, SSO and Directory Sync state) → the desired state (`DesiredState`:
/// who is in, what they get, and why) → identity matching (`ThinkificMatch`, `SCIMMatch`) → the diff for Thinkific
/// and each SCIM app, with removals per the tenant's policy → safety (seats, empty or failed directory, mass
/// removal) → deterministic order and estimates.
public enum Planner {
    /// Plans `tenants` (all of the workspace's when `nil`), in id order. `observations` are by tenant id; a tenant
    /// with no observation gets an error and no changes (`observationFailures` says why, by tenant id). `now` is when
    /// expiries take effect; `workspaceDigest` is recorded so apply can refuse a plan whose spec changed. `signIns`
    /// (by tenant id) are sign-ins the caller knows of besides those observed (the reconcile loop's events).
    public static func plan(
        workspace: Workspace, observations: [String: ObservedTenant], observationFailures: [String: String] = [:],
        tenants: [String]? = nil, now: Date, workspaceDigest: String, signIns: [String: [SignIn]] = [:]
    ) -> Plan {
        let selected = tenants.map(Set.init)
        let instant = Instant(now)
        let plans = workspace.tenants.filter { selected?.contains($0.id) ?? true }.map { tenant in
            guard let observation = observations[tenant.id] else {
                return TenantPlan(
                    tenant: tenant.id, name: tenant.name,
                    errors: [
                        observationFailures[tenant.id].map(PlanProblem.observationFailed) ?? .notObserved("the live systems")
                    ],
                    seats: SeatUsage(entitled: 0, licensed: tenant.seats),
                    removalGuard: RemovalGuard(removals: 0, provisioned: 0, threshold: 0))
            }
            var planner = TenantPlanner(
                workspace: workspace, tenant: tenant, observation: observation, now: instant, signIns: signIns[tenant.id] ?? [])
            return planner.run()
        }
        return Plan(createdAt: now, workspaceDigest: workspaceDigest, tenants: plans)
    }
}
