import Apply
import Foundation
import Live
import Planner
import Spec

/// Carries out a plan against the live systems: the library entry point behind `stoicprov apply`.
///
/// A saved plan is a request, not an order. Before anything starts, the workspace must have the digest the plan
/// recorded. Then, per tenant and once its lock is held (so a second apply cannot change anything in between), the
/// tenant is observed afresh: every change's preconditions must still hold, and the plan derived afresh from the
/// workspace and that observation must contain every saved change with exactly the same value
/// (`SavedPlanCheck`). What is carried out is the fresh plan's changes that the saved plan names, under the fresh
/// plan's guards. A freshly computed plan (`apply DIR`) goes through the same check: its observation was made before
/// the lock was taken. Because every tenant's preconditions are then known to hold under the lock, a create of an
/// object they say is absent is sent without a lookup first (issue 12).
public struct ApplySession: Sendable {
    public var workspace: Workspace
    public var observer: Observer
    public var options: ApplyOptions

    public init(workspace: Workspace, observer: Observer, options: ApplyOptions) {
        self.workspace = workspace
        self.observer = observer
        self.options = options
    }

    /// Why the whole plan may not be applied before any tenant is touched, or `nil`: a plan made from other files,
    /// a tenant the workspace does not have, a tenant listed twice.
    public func refusal(forSaved plan: Plan) -> ApplyError? {
        guard plan.workspaceDigest == workspace.digest else {
            return .stalePlan(reasons: ["the workspace files changed since the plan was made"])
        }
        var seen: Set<String> = []
        for tenant in plan.tenants {
            guard workspace.tenant(id: tenant.tenant) != nil else {
                return .stalePlan(reasons: ["tenant \(tenant.tenant) is not in the workspace"])
            }
            guard seen.insert(tenant.tenant).inserted else {
                return .notJustified(tenant: tenant.tenant, reasons: ["the tenant is listed more than once"])
            }
        }
        return nil
    }

    /// Applies `plan`, tenant by tenant. Each tenant's changes are verified first against a fresh observation and a
    /// fresh plan of that tenant under its lock, and the fresh plan's guards apply. `isSaved` is kept for callers;
    /// both kinds of plan are verified alike.
    public func apply(
        _ plan: Plan, isSaved: Bool, progress: (@Sendable (ApplyProgress) -> Void)? = nil
    ) async -> ApplyReport {
        let start = ContinuousClock.now
        let executor = Executor(clients: ApplyClients(observer), options: options, progress: progress)
        let digest = Executor.digest(of: plan)
        var reports: [TenantApplyReport] = []
        for tenantPlan in plan.tenants where !tenantPlan.changes.isEmpty || !tenantPlan.errors.isEmpty {
            let session = self
            let verify: @Sendable (TenantPlan) async -> Result<TenantPlan, ApplyError> = { tenantPlan in
                await session.verified(tenantPlan)
            }
            reports.append(await executor.apply(tenantPlan, planDigest: digest, verify: verify))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ApplyReport(tenants: reports, seconds: seconds)
    }

    /// Re-observes the tenant, checks the saved preconditions still hold (naming what changed), re-derives the
    /// tenant's plan and keeps the saved changes only if that plan makes every one of them, value for value.
    func verified(_ saved: TenantPlan) async -> Result<TenantPlan, ApplyError> {
        guard let tenant = workspace.tenant(id: saved.tenant) else {
            return .failure(.stalePlan(reasons: ["tenant \(saved.tenant) is no longer in the workspace"]))
        }
        let observed: ObservedTenant
        do throws(LiveError) {
            observed = try await observer.observe(ObservationRequest(tenant: tenant))
        } catch {
            return .failure(.stalePlan(reasons: ["tenant \(tenant.id) could not be observed again: \(error)"]))
        }
        let failures = Preconditions.failures(of: saved, against: observed)
        guard failures.isEmpty else { return .failure(.stalePlan(reasons: failures.map { "tenant \(tenant.id): \($0)" })) }
        let now = Date(timeIntervalSince1970: options.now().timeIntervalSince1970.rounded(.down))
        let fresh = Planner.plan(
            workspace: workspace, observations: [tenant.id: observed], tenants: [tenant.id], now: now,
            workspaceDigest: workspace.digest)
        guard let current = fresh.tenants.first(where: { $0.tenant == tenant.id }) else {
            return .failure(.stalePlan(reasons: ["tenant \(tenant.id) could not be planned again"]))
        }
        return SavedPlanCheck.select(saved: saved, fresh: current)
    }
}
