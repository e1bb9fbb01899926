import Apply
import Foundation
import Live
import Planner
import Spec

extension DemoRunner {
    /// Walks the seven steps, reporting each to `report`; `false` when one did not behave as expected (the last
    /// event is then `.failed`).
    public func run(_ report: @escaping @Sendable (DemoEvent) -> Void) async -> Bool {
        report(.started(name: name, note: note))
        guard let workspace = validate(report) else { return false }
        // An observer is one run (site-wide listings are read once and shared), so each step, like each command a
        // user types, gets a fresh one.
        func session() -> PlanSession? {
            observer(workspace, report).map { PlanSession(workspace: workspace, observer: $0) }
        }
        guard let first = session(), let plan = await plan(first, report) else { return false }
        guard let applying = observer(workspace, report), await apply(plan, workspace, applying, report) else {
            return false
        }
        guard let again = session(), await planAgain(again, report) else { return false }
        guard await changeDirectory(report), let last = session(), await finalPlan(last, report) else { return false }
        guard await reconcile(workspace, report) else { return false }
        report(.finished)
        return true
    }

    private func validate(_ report: (DemoEvent) -> Void) -> Workspace? {
        report(.step(.validate, name: name))
        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: self.workspace.path)
        report(.validated(name: name, workspace: workspace, diagnostics: diagnostics, sources: sources))
        guard let workspace, !diagnostics.hasErrors else {
            report(.failed(step: "validate", reason: "the workspace has errors"))
            return nil
        }
        return workspace
    }

    /// Every connection pointed at the embedded sandbox, without the clients' own pacing: the sandbox has no rate
    /// limit, so the demo runs as fast as the machine allows (a real Thinkific site allows 120 requests a minute).
    private func observer(_ workspace: Workspace, _ report: (DemoEvent) -> Void) -> Observer? {
        do throws(LiveError) {
            return try Observer(
                settings: ClientSettings(workspace, sandbox: root).unpaced,
                resolver: SecretResolver(workspace: self.workspace))
        } catch {
            report(.failed(step: "plan", reason: "\(error)"))
            return nil
        }
    }

    private func plan(_ session: PlanSession, _ report: (DemoEvent) -> Void) async -> Plan? {
        report(.step(.plan, name: name))
        let plan = await session.plan(now: clock()).plan
        let failure =
            plan.hasErrors
            ? "the plan has errors"
            : plan.counts.create == 0 ? "a fresh sandbox should need creates, and the plan has none" : nil
        report(.planned(plan, isExpected: failure == nil))
        if let failure { report(.failed(step: "plan", reason: failure)) }
        return failure == nil ? plan : nil
    }

    private func apply(
        _ plan: Plan, _ workspace: Workspace, _ observer: Observer, _ report: @escaping @Sendable (DemoEvent) -> Void
    ) async -> Bool {
        report(.step(.apply, name: name))
        let options = ApplyOptions(workspace: self.workspace, now: clock)
        let session = ApplySession(workspace: workspace, observer: observer, options: options)
        let result = await session.apply(plan, isSaved: false) { progress in report(.applying(progress)) }
        report(.applied(result))
        guard !result.hasFailures else {
            report(.failed(step: "apply", reason: "some changes failed (above)"))
            return false
        }
        return true
    }

    private func planAgain(_ session: PlanSession, _ report: (DemoEvent) -> Void) async -> Bool {
        report(.step(.planAgain, name: name))
        let plan = await session.plan(now: clock()).plan
        let isExpected = !plan.hasChanges && !plan.hasErrors
        report(.plannedAgain(plan, isExpected: isExpected))
        if !isExpected { report(.failed(step: "plan again", reason: "the plan after apply should have no changes")) }
        return isExpected
    }

    private func changeDirectory(_ report: (DemoEvent) -> Void) async -> Bool {
        report(.step(.directoryChange, name: name))
        report(.directoryChange(change))
        do throws(LiveError) {
            try await change.send(root: root, transport: URLSessionTransport())
            return true
        } catch {
            report(.failed(step: "directory change", reason: "\(error)"))
            return false
        }
    }

    private func finalPlan(_ session: PlanSession, _ report: (DemoEvent) -> Void) async -> Bool {
        report(.step(.finalPlan, name: name))
        let plan = await session.plan(now: clock()).plan
        report(.finalPlan(plan))
        let failure: String? =
            if plan.hasErrors {
                "the plan has errors"
            } else if !hasExpiry(in: plan) {
                "no expiry of \(change.leaver) with the reason 'left …'"
            } else if !hasEnrollment(in: plan) {
                "no enrollment of \(change.joiner.email) with the reason 'joined \(change.joinedGroup)'"
            } else {
                nil
            }
        if let failure { report(.failed(step: "final plan", reason: failure)) }
        return failure == nil
    }

    /// Step 7: the orchestrator takes over (its first pass reconciles every tenant in full, step 6's changes
    /// included), then one person joins an IdP group and the next pass provisions them.
    private func reconcile(_ workspace: Workspace, _ report: (DemoEvent) -> Void) async -> Bool {
        report(.step(.reconcile, name: name))
        guard let observer = observer(workspace, report) else { return false }
        let reconciler = Reconciler(workspace: workspace, observer: observer, options: ReconcileOptions(now: clock))
        let first = await reconciler.pass()
        guard first.errors.isEmpty else {
            report(.failed(step: "reconcile", reason: first.errors.joined(separator: "; ")))
            return false
        }
        let joiner = DemoDirectoryChange.reconcileJoiner
        let start = ContinuousClock.now
        do throws(LiveError) {
            try await joiner.send(root: root, transport: URLSessionTransport())
        } catch {
            report(.failed(step: "reconcile", reason: "\(error)"))
            return false
        }
        let pass = await reconciler.pass()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let done = pass.events.filter { $0.people.contains(joiner.joiner.email) }.map(\.done).max() ?? 0
        report(.reconciled(person: joiner.joiner.email, group: joiner.joinedGroup, changes: done, seconds: seconds))
        guard pass.errors.isEmpty, done > 0 else {
            let reason = pass.errors.isEmpty ? "\(joiner.joiner.email) was not provisioned" : pass.errors.joined(separator: "; ")
            report(.failed(step: "reconcile", reason: reason))
            return false
        }
        return true
    }

    /// The leaver's enrollment expired because they left a group.
    private func hasExpiry(in plan: Plan) -> Bool {
        plan.tenants.flatMap(\.changes).contains { change in
            guard case .expireEnrollment(let email, _, _, _) = change.action, email == self.change.leaver else { return false }
            return change.reason.hasPrefix("left ")
        }
    }

    /// The joiner enrolled because they joined the group.
    private func hasEnrollment(in plan: Plan) -> Bool {
        plan.tenants.flatMap(\.changes).contains { change in
            guard case .enroll(let email, _, _, _, _, _) = change.action, email == self.change.joiner.email else {
                return false
            }
            return change.reason == "joined \(self.change.joinedGroup)"
        }
    }
}
