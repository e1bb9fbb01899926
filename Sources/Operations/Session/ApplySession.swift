import Apply
import Foundation
import Live
import Planner
import Spec

/// Carries out a plan against the live systems: the library entry point behind `stoicprov apply`.
///
/// For a saved plan, staleness is checked twice: the workspace digest before anything starts, and each tenant's
/// preconditions against a fresh observation once its lock is held (so a second apply cannot change them
/// in between). A freshly computed plan (`apply DIR`) is re-observed under the lock too: its observation was made
/// before the lock was taken. Because every tenant's preconditions are known to hold under the lock, a create of an
/// object they say is absent is sent without a lookup first (issue 12).
public struct ApplySession: Sendable {
    public var workspace: Workspace
    public var observer: Observer
    public var options: ApplyOptions
    public var staleCheck: StaleCheck

    public init(workspace: Workspace, observer: Observer, options: ApplyOptions, staleCheck: StaleCheck = .planner) {
        self.workspace = workspace
        self.observer = observer
        self.options = options
        self.staleCheck = staleCheck
    }

    /// Why the whole plan may not be applied before any tenant is touched, or `nil`: a plan made from other files.
    public func refusal(forSaved plan: Plan) -> ApplyError? {
        guard plan.workspaceDigest == workspace.digest else {
            return .stalePlan(reasons: ["the workspace files changed since the plan was made"])
        }
        return nil
    }

    /// Applies `plan`, tenant by tenant, each tenant's preconditions checked first against a fresh observation of
    /// that tenant under its lock. `isSaved` is kept for callers; both kinds of plan are checked alike.
    public func apply(
        _ plan: Plan, isSaved: Bool, progress: (@Sendable (ApplyProgress) -> Void)? = nil
    ) async -> ApplyReport {
        let start = ContinuousClock.now
        let executor = Executor(clients: ApplyClients(observer), options: options, progress: progress)
        let digest = Executor.digest(of: plan)
        var reports: [TenantApplyReport] = []
        for tenantPlan in plan.tenants where !tenantPlan.changes.isEmpty || !tenantPlan.errors.isEmpty {
            let session = self
            let precheck: @Sendable (TenantPlan) async -> ApplyError? = { tenantPlan in
                await session.stalenessError(of: tenantPlan)
            }
            reports.append(await executor.apply(tenantPlan, planDigest: digest, precheck: precheck))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ApplyReport(tenants: reports, seconds: seconds)
    }

    /// Re-observes the tenant and lists what no longer holds.
    private func stalenessError(of tenantPlan: TenantPlan) async -> ApplyError? {
        guard let tenant = workspace.tenant(id: tenantPlan.tenant) else {
            return .stalePlan(reasons: ["tenant \(tenantPlan.tenant) is no longer in the workspace"])
        }
        let observed: ObservedTenant
        do throws(LiveError) {
            observed = try await observer.observe(ObservationRequest(tenant: tenant))
        } catch {
            return .stalePlan(reasons: ["tenant \(tenant.id) could not be observed again: \(error)"])
        }
        let single = Plan(createdAt: Date(), workspaceDigest: workspace.digest, tenants: [tenantPlan])
        let reasons = staleCheck.reasons(plan: single, workspaceDigest: workspace.digest, observed: [observed])
        return reasons.isEmpty ? nil : .stalePlan(reasons: reasons)
    }
}
