import Foundation
import Spec

/// Planning scoped to a few people (the orchestrator's targeted reads): the observation holds only what was read
/// of these people, so nobody else's absence from it means anything. The guards still count the whole tenant:
/// `entitledOutside` and `provisionedOutside` are the people outside the scope, as the last full observation (and
/// the targeted batches since) counted them.
public struct PlanScope: Sendable, Hashable {
    /// Lower-cased emails of the people observed (old and new addresses of a person whose email changed).
    public var emails: Set<String>
    /// Entitled people outside the scope (for `seats`).
    public var entitledOutside: Int
    /// Provisioned people outside the scope (for `max_removals`).
    public var provisionedOutside: Int

    public init(emails: Set<String>, entitledOutside: Int, provisionedOutside: Int) {
        self.emails = Set(emails.map { $0.lowercased() })
        self.entitledOutside = max(0, entitledOutside)
        self.provisionedOutside = max(0, provisionedOutside)
    }

    /// The tenant as the scoped planner sees it: roster rows of other people left out, so that their absence from
    /// the partial observation does not read as "to be created".
    func scoped(_ tenant: Tenant) -> Tenant {
        var copy = tenant
        copy.rosters = tenant.rosters.map { roster in
            var kept = roster
            kept.entries = roster.entries.filter { emails.contains($0.email) }
            return kept
        }
        return copy
    }
}

/// A tenant's plan with who it counts: the entitled people after it and the people provisioned before it (emails,
/// lower-cased), over the scope when there is one, else over the whole tenant.
public struct ScopedTenantPlan: Sendable {
    public var plan: TenantPlan
    public var entitled: Set<String>
    public var provisioned: Set<String>
}

extension Planner {
    /// Plans one tenant from `observation`: everything when `scope` is `nil` (as `plan` does), else only the
    /// scope's people, with seats and removals counted over the whole tenant (`PlanScope`). The directory-empty
    /// guard does not apply to a scoped observation, which never reads the whole directory; a failed read still
    /// stops every removal.
    public static func plan(
        workspace: Workspace, tenant: Tenant, observation: ObservedTenant, scope: PlanScope?, now: Date
    ) -> ScopedTenantPlan {
        var planner = TenantPlanner(
            workspace: workspace, tenant: scope?.scoped(tenant) ?? tenant, observation: observation, now: Instant(now),
            scope: scope)
        let plan = planner.run()
        let entitled = Set(planner.desired.people.values.filter(\.isEntitled).map(\.email))
        return ScopedTenantPlan(plan: plan, entitled: entitled, provisioned: planner.provisionedNow)
    }
}
