import Apply
import Foundation
import Live
import Planner
import Spec
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the verify step under the lock decided, kept for the state update after the apply.
struct VerifiedBatch: Sendable {
    var scoped: ScopedTenantPlan
    /// The emails the batch observed (`nil`: the whole tenant).
    var emails: Set<String>?
    /// Removal changes held back (rate guard, deletes), and why.
    var held: Int
    var heldReason: String?
    /// People whose removals were applied.
    var removedPeople: Int
    /// Requests the full observation made (for the burst threshold).
    var fullCost: [String: Int]
}

/// How one tenant's batch ended.
enum TenantRunOutcome: Sendable {
    /// Not handled now (the lock is held, the tenant could not be read): the events wait for the next pass.
    case retry(String)
    case done(TenantApplyReport, VerifiedBatch?)
}

extension Reconciler {
    /// Observes (the `people`, or the whole tenant when `nil`), plans and applies one tenant's batch through the
    /// Executor: under the tenant's lock, journaled, with every guard of the plan. `digest` names the batch in the
    /// journal and seeds the idempotency keys, so a batch redone after a crash sends the same keys.
    func run(_ tenant: Tenant, people: PeopleRequest?, digest: String) async -> TenantRunOutcome {
        releaseOwnStaleLock(tenant.id)
        var state: TenantReconcileState
        do throws(OperationsError) {
            state = try store.tenant(tenant.id) ?? TenantReconcileState()
        } catch {
            return .retry(error.description)
        }
        clearHoldIfAppliedByAPerson(&state, tenant: tenant.id)
        let batch = Mutex<VerifiedBatch?>(nil)
        let observeFailure = Mutex<String?>(nil)
        let executor = Executor(
            clients: ApplyClients(observer),
            options: ApplyOptions(
                parallelism: options.parallelism, workspace: workspaceURL, owner: ReconcileOptions.owner, now: options.now))
        let placeholder = TenantPlan(
            tenant: tenant.id, name: tenant.name, seats: SeatUsage(entitled: 0, licensed: tenant.seats),
            removalGuard: RemovalGuard(removals: 0, provisioned: 0, threshold: 0))
        let frozen = state
        let report = await executor.apply(placeholder, planDigest: digest) { _ in
            switch await self.verify(tenant, people: people, state: frozen) {
            case .success(let verified):
                batch.withLock { $0 = verified }
                return .success(verified.scoped.plan)
            case .failure(let error):
                observeFailure.withLock { $0 = error.description }
                return .failure(error)
            }
        }
        guard let verified = batch.withLock({ $0 }) else {
            // Refused before or while observing: the lock is held, or the tenant could not be read.
            return .retry(observeFailure.withLock { $0 } ?? report.refusal ?? "tenant \(tenant.id) was not handled")
        }
        if report.refusal == nil { record(verified, report: report, into: &state) }
        do throws(OperationsError) {
            try store.save(state, tenant: tenant.id)
        } catch {
            return .retry(error.description)
        }
        count(report)
        return .done(report, verified)
    }

    /// Under the lock: observe, plan, then the removal rate guard. A read that fails is `stalePlan` (the batch waits).
    func verify(_ tenant: Tenant, people: PeopleRequest?, state: TenantReconcileState) async -> Result<VerifiedBatch, ApplyError>
    {
        let request = ObservationRequest(tenant: tenant)
        let now = Date(timeIntervalSince1970: options.now().timeIntervalSince1970.rounded(.down))
        var batch: VerifiedBatch
        do throws(LiveError) {
            if let people {
                let frame = try await self.frame(tenant)
                var (observed, emails) = try await observer.observe(request, frame: frame, people: people)
                observed.signIns += people.signIns
                let scope = PlanScope(
                    emails: emails, entitledOutside: state.entitled.count { !emails.contains($0) },
                    provisionedOutside: state.provisioned.count { !emails.contains($0) })
                let scoped = Planner.plan(workspace: workspace, tenant: tenant, observation: observed, scope: scope, now: now)
                batch = VerifiedBatch(scoped: scoped, emails: emails, held: 0, removedPeople: 0, fullCost: [:])
            } else {
                let before = observer.requests
                let observed = try await observer.observe(request)
                // A frame without an organization (the apply may be about to create it) is read again next time.
                let keeps = observed.directory?.readSucceeded != false && observed.directory?.organization != nil
                frames.withLock { $0[tenant.id] = keeps ? TenantFrame(observed) : nil }
                let scoped = Planner.plan(workspace: workspace, tenant: tenant, observation: observed, scope: nil, now: now)
                let cost = observer.requests.reduce(into: [String: Int]()) { result, entry in
                    let made = entry.value.requests - (before[entry.key]?.requests ?? 0)
                    if made > 0 { result[entry.key] = made }
                }
                batch = VerifiedBatch(scoped: scoped, emails: nil, held: 0, removedPeople: 0, fullCost: cost)
            }
        } catch {
            return .failure(.stalePlan(reasons: ["tenant \(tenant.id) could not be observed: \(error)"]))
        }
        applyRemovalRateGuard(&batch, state: state, now: now)
        return .success(batch)
    }

    /// The removal rate guard (docs/reconcile.md): removals of the last hour plus this batch's may not exceed
    /// `removalsPerHour`; over it, or while the tenant's removals are held, or when the batch would trip
    /// `max_removals`, every removal change is taken out of the batch (the rest goes ahead) and the tenant's
    /// removals stay held until a person runs `stoicprov apply`. Deletes of SCIM users always wait for a person.
    func applyRemovalRateGuard(_ batch: inout VerifiedBatch, state: TenantReconcileState, now: Date) {
        var plan = batch.scoped.plan
        let removals = plan.removalGuard.removals
        let recent = state.removals.count { Now.parse($0).map { now.timeIntervalSince($0) < 3600 } ?? false }
        let deletes = plan.changes.contains { if case .deleteSCIMUser = $0.action { true } else { false } }
        var reason: String?
        if state.removalsHeldSince != nil {
            reason = "removals are held since \(state.removalsHeldSince ?? ""); run 'stoicprov apply' to release them"
        } else if removals > 0, recent + removals > options.removalsPerHour {
            reason =
                "\(recent + removals) removals in an hour exceed the limit of \(options.removalsPerHour)"
                + " (--max-removals-per-hour); run 'stoicprov plan' and 'stoicprov apply' to carry them out"
        } else if plan.removalGuard.isTripped {
            reason = "\(removals) removals exceed safety.max_removals; run 'stoicprov apply' to review them"
        } else if deletes {
            reason = "SCIM user deletes wait for 'stoicprov apply --allow-delete'"
        }
        guard let reason, plan.changes.contains(where: { $0.kind == .remove }) else {
            batch.removedPeople = removals
            return
        }
        let removed = Set(plan.changes.filter { $0.kind == .remove }.map(\.id))
        plan.changes.removeAll { change in removed.contains(change.id) || change.dependsOn.contains(where: removed.contains) }
        plan.errors.removeAll { $0.code == "mass-removal" }
        plan.removalGuard.removals = 0
        batch.held = removed.count
        batch.heldReason = reason
        batch.removedPeople = 0
        batch.scoped.plan = plan
    }

    /// The tenant's state after an applied batch: who is entitled and provisioned, removals of the last hour, the
    /// hold, and for a full reconcile its time and cost.
    func record(_ batch: VerifiedBatch, report: TenantApplyReport, into state: inout TenantReconcileState) {
        let now = options.now()
        let held = batch.held > 0
        var after = batch.scoped.entitled
        if held { after.formUnion(batch.scoped.provisioned) }
        if let emails = batch.emails {
            state.entitled = Array(Set(state.entitled).subtracting(emails).union(batch.scoped.entitled)).sorted()
            state.provisioned = Array(Set(state.provisioned).subtracting(emails).union(after)).sorted()
        } else {
            state.entitled = batch.scoped.entitled.sorted()
            state.provisioned = after.sorted()
            state.lastFullReconcile = Instant(now).iso
            state.fullCost = batch.fullCost
            counters.withLock { $0.lastFullReconcile[report.tenant] = now }
        }
        state.removals = state.removals.filter { Now.parse($0).map { now.timeIntervalSince($0) < 3600 } ?? false }
        state.removals += Array(repeating: Instant(now).iso, count: batch.removedPeople)
        // Groups this batch created are not in the frame yet: read it again next time.
        let createdGroups = report.changes.contains { change in
            change.outcome.isDone && [.createThinkificGroup, .createSCIMGroup, .createOrganization].contains(change.action)
        }
        if createdGroups { frames.withLock { $0[report.tenant] = nil } }
        state.frame = frames.withLock { $0[report.tenant] }
        state.frameDigest = state.frame == nil ? nil : workspace.digest
        if held, batch.heldReason?.contains("--allow-delete") == false, state.removalsHeldSince == nil {
            state.removalsHeldSince = Instant(now).iso
        }
    }

    /// Changes done and failed per destination, for the metrics.
    func count(_ report: TenantApplyReport) {
        counters.withLock { metrics in
            for change in report.changes {
                if change.outcome.isDone {
                    metrics.changesDone[change.destination.name, default: 0] += 1
                } else if case .failed = change.outcome {
                    metrics.changesFailed[change.destination.name, default: 0] += 1
                }
            }
        }
    }

    /// The tenant's frame: in memory, else as the tenant state saved it for this workspace, else read.
    func frame(_ tenant: Tenant) async throws(LiveError) -> TenantFrame {
        if let frame = frames.withLock({ $0[tenant.id] }) { return frame }
        if let state = (try? store.tenant(tenant.id)) ?? nil, state.frameDigest == workspace.digest, let frame = state.frame {
            frames.withLock { $0[tenant.id] = frame }
            return frame
        }
        let frame = try await observer.frame(ObservationRequest(tenant: tenant))
        frames.withLock { $0[tenant.id] = frame }
        if var state = (try? store.tenant(tenant.id)) ?? nil {
            state.frame = frame
            state.frameDigest = workspace.digest
            try? store.save(state, tenant: tenant.id)
        }
        return frame
    }

    /// A lock this orchestrator took on this host and whose process is gone (`kill -9`) is released; any other
    /// lock (a person's `apply`, another host) is left alone and the batch waits for it.
    func releaseOwnStaleLock(_ tenant: String) {
        guard let held = TenantLock.current(workspace: workspaceURL, tenant: tenant), held.owner == ReconcileOptions.owner,
            held.host == ProcessInfo.processInfo.hostName, held.pid > 0, held.pid != ProcessInfo.processInfo.processIdentifier,
            kill(held.pid, 0) != 0, errno == ESRCH
        else { return }
        try? TenantLock.forceUnlock(workspace: workspaceURL, tenant: tenant, id: held.id)
    }

    /// A hold ends when the tenant's journal shows a change applied by someone else since the hold began.
    func clearHoldIfAppliedByAPerson(_ state: inout TenantReconcileState, tenant: String) {
        guard let since = state.removalsHeldSince.flatMap(Now.parse) else { return }
        let path = workspaceURL.appendingPathComponent(
            ".stoicprov/journal/\(tenant.replacingOccurrences(of: "/", with: "_")).jsonl")
        guard let handle = try? FileHandle(forReadingFrom: path) else { return }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 262_144 ? size - 262_144 : 0)
        let tail = (try? handle.readToEnd()) ?? Data()
        for line in tail.split(separator: UInt8(ascii: "\n")) {
            guard let entry = try? JSONDecoder().decode(JournalEntry.self, from: Data(line)),
                entry.owner != ReconcileOptions.owner, let time = Now.parse(entry.time), time >= since
            else { continue }
            state.removalsHeldSince = nil
            return
        }
    }
}

extension TenantFrame {
    /// The frame of a full observation: its organization, directories and groups without people, its site's catalogue.
    init(_ observed: ObservedTenant) {
        var directory = observed.directory
        directory?.users = []
        let scimGroups = observed.scimApps.map { app in
            (app.app, app.groups.map { SCIMGroup(id: $0.id, displayName: $0.displayName, memberIDs: []) })
        }
        self.init(
            directory: directory, courses: observed.thinkific?.courses ?? [],
            thinkificGroups: observed.thinkific?.groups ?? [],
            scimGroups: Dictionary(scimGroups, uniquingKeysWith: { first, _ in first }))
    }
}
