import Foundation
import Live
import Planner
import Spec
import Synchronization

/// Carries out a plan: per tenant, after its guards, under its lock, changes in dependency order with bounded
/// parallelism, each outcome journaled; a failed change skips only the changes that depend on it.
///
/// Pacing is the connections' job: each keeps its own requests at its rate limit and honours 429 reset hints.
/// Running `parallelism` changes at once keeps a rate-limited connection supplied with requests, so it sends at
/// its limit rather than idling between one change's requests.
public final class Executor: Sendable {
    public let clients: ApplyClients
    public let options: ApplyOptions
    private let progress: (@Sendable (ApplyProgress) -> Void)?

    /// - Parameter progress: called after every finished change (from any task; keep it quick).
    public init(
        clients: ApplyClients, options: ApplyOptions = ApplyOptions(), progress: (@Sendable (ApplyProgress) -> Void)? = nil
    ) {
        self.clients = clients
        self.options = options
        self.progress = progress
    }

    /// Why a tenant's plan may not be applied with these options, or `nil`.
    public func refusal(for tenant: TenantPlan) -> ApplyError? {
        // The mass-removal error is the guard below, which `--allow-mass-removal` overrides; no other error can be.
        let errors = tenant.errors.filter { !(options.allowMassRemoval && $0.code == "mass-removal") }
        if !errors.isEmpty {
            return .refused(
                tenant: tenant.tenant, reason: "the plan has errors: " + errors.map(\.message).joined(separator: "; "))
        }
        if tenant.removalGuard.isTripped && !options.allowMassRemoval {
            let guardInfo = tenant.removalGuard
            return .refused(
                tenant: tenant.tenant,
                reason:
                    "\(guardInfo.removals) removals of \(guardInfo.provisioned) provisioned exceed the limit of "
                    + "\(guardInfo.threshold); pass --allow-mass-removal if this is intended")
        }
        let deletes = tenant.changes.count { if case .deleteSCIMUser = $0.action { true } else { false } }
        if deletes > 0 && !options.allowDelete {
            return .refused(
                tenant: tenant.tenant,
                reason: "the plan deletes \(deletes) SCIM user\(deletes == 1 ? "" : "s"); pass --allow-delete")
        }
        return nil
    }

    /// Applies one tenant's changes. `verify` runs once the tenant's lock is held and before any change, so that
    /// what it checks (a saved plan against a fresh observation) cannot change under a second apply: an error it
    /// returns refuses the tenant; otherwise the plan it returns is what is carried out, after the guards are checked
    /// again on it (a saved plan's own errors and removal guard are never trusted).
    public func apply(
        _ tenant: TenantPlan, planDigest: String, verify: (@Sendable (TenantPlan) async -> Result<TenantPlan, ApplyError>)? = nil
    ) async -> TenantApplyReport {
        let start = ContinuousClock.now
        let before = requestStats()
        func refused(_ error: ApplyError) -> TenantApplyReport {
            TenantApplyReport(
                tenant: tenant.tenant, refusal: error.description, changes: [], requests: [:], seconds: Self.seconds(since: start)
            )
        }
        if let error = refusal(for: tenant) { return refused(error) }
        var lock: TenantLock?
        var journal: Journal?
        if let workspace = options.workspace {
            do throws(ApplyError) {
                lock = try TenantLock.acquire(
                    workspace: workspace, tenant: tenant.tenant, owner: options.owner, now: options.now())
                journal = try Journal(workspace: workspace, tenant: tenant.tenant)
            } catch {
                lock?.release()
                return refused(error)
            }
        }
        defer {
            journal?.close()
            lock?.release()
        }
        var checked = tenant
        if let verify {
            switch await verify(tenant) {
            case .failure(let error): return refused(error)
            case .success(let verified): checked = verified
            }
            if let error = refusal(for: checked) { return refused(error) }
        }
        let run = TenantRun(
            tenant: checked, planDigest: planDigest, executor: self, journal: journal, connections: clients.connections,
            start: start, trustsObservation: verify != nil && lock != nil)
        let (changes, journalFailure) = await run.execute()
        return TenantApplyReport(
            tenant: tenant.tenant, refusal: nil, changes: changes, requests: requestStats(since: before),
            seconds: Self.seconds(since: start), journalFailure: journalFailure?.description)
    }

    func report(_ progress: ApplyProgress) {
        self.progress?(progress)
    }

    // MARK: - Helpers

    /// SHA-256 of the plan's saved JSON form (`PlanFile`), hashed as it is written: names the plan in journal lines
    /// and seeds idempotency keys. It cannot fail, and the plan's JSON is never whole in memory.
    public static func digest(of plan: Plan) -> String {
        var hasher = SHA256()
        PlanFile.writeJSON(plan) { hasher.update($0) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func requestStats() -> [String: ChannelStats] {
        Dictionary(clients.connections.map { ($0.name, $0.stats) }, uniquingKeysWith: { first, _ in first })
    }

    private func requestStats(since before: [String: ChannelStats]) -> [String: ChannelStats] {
        requestStats().reduce(into: [:]) { result, entry in
            let old = before[entry.key] ?? ChannelStats()
            let delta = ChannelStats(
                requests: entry.value.requests - old.requests, retries: entry.value.retries - old.retries,
                rateLimited: entry.value.rateLimited - old.rateLimited)
            if delta.requests > 0 { result[entry.key] = delta }
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// One tenant's run: the scheduler over its change graph.
struct TenantRun: Sendable {
    let tenant: TenantPlan
    let planDigest: String
    let executor: Executor
    let journal: Journal?
    let connections: [HTTPChannel]
    let start: ContinuousClock.Instant
    /// The plan's preconditions were checked against an observation made under the tenant's lock: an object they say
    /// is absent is absent, so its create is sent without a lookup first.
    var trustsObservation = false
    let ids = IDRegistry()

    /// Runs the changes; a journal that cannot be written stops the run (nothing more is started) and is returned.
    func execute() async -> (reports: [ChangeReport], journalFailure: ApplyError?) {
        let changes = tenant.changes
        var schedule = RunSchedule(changes)
        let watch = JournalWatch()
        var reports: [ChangeReport] = []
        let baseRequests = requestCount()

        func record(_ report: ChangeReport) {
            // The line first: a change is reported done only once the journal says so, or is named as unrecorded.
            if let error = journalLine(report) { watch.failed(error, report) }
            reports.append(report)
            executor.report(progress(reports, total: changes.count, requests: requestCount() - baseRequests))
        }

        await withTaskGroup(of: [(Int, ChangeReport)].self) { group in
            var running = 0
            while true {
                while running < executor.options.parallelism, watch.error == nil,
                    let work = schedule.next(idle: running == 0)
                {
                    running += 1
                    switch work {
                    case .batch(let batch): group.addTask { await self.runMemberships(batch, of: changes) }
                    case .single(let index): group.addTask { [(index, await self.run(changes[index]))] }
                    }
                }
                guard running > 0, let finished = await group.next() else { break }
                running -= 1
                for (index, report) in finished {
                    let skipped = schedule.finish(index, done: report.outcome.isDone)
                    record(report)
                    for (dependent, reason) in skipped { record(Self.skipped(changes[dependent], reason: reason)) }
                }
            }
        }
        // Whatever never became ready sits on a dependency cycle, or was not started after a journal failure.
        let notStarted = schedule.unsettled
        let reason = watch.error == nil ? "its dependencies form a cycle" : "not started: the journal cannot be written"
        for index in notStarted {
            let report = Self.skipped(changes[index], reason: reason)
            if watch.error == nil { record(report) } else { reports.append(report) }
        }
        return (reports, watch.failure(tenant: tenant.tenant, notStarted: watch.error == nil ? 0 : notStarted.count))
    }

    private func requestCount() -> Int {
        connections.reduce(0) { $0 + $1.requestCount }
    }

    private func progress(_ reports: [ChangeReport], total: Int, requests: Int) -> ApplyProgress {
        ApplyProgress(
            tenant: tenant.tenant, finished: reports.count, total: total,
            failed: reports.count { if case .failed = $0.outcome { true } else { false } }, requests: requests,
            elapsed: Executor.seconds(since: start))
    }

    private static func skipped(_ change: Change, reason: String) -> ChangeReport {
        ChangeReport(
            changeID: change.id, destination: change.destination, action: change.action.kind, subject: change.action.subject,
            outcome: .skipped(reason: reason), httpStatus: nil, attempts: 0, seconds: 0)
    }

    private func run(_ change: Change) async -> ChangeReport {
        let began = ContinuousClock.now
        var report = ChangeReport(
            changeID: change.id, destination: change.destination, action: change.action.kind, subject: change.action.subject,
            outcome: .done(adopted: false), httpStatus: nil, attempts: 1, seconds: 0)
        if case .deleteSCIMUser = change.action, !executor.options.allowDelete {
            let refusal = ApplyError.refused(tenant: tenant.tenant, reason: "deleting SCIM users needs --allow-delete")
            report.outcome = .failed(reason: refusal.description)
            return report
        }
        let result: Result<StepResult, LiveError>
        do throws(LiveError) {
            result = .success(try await perform(change))
        } catch {
            result = .failure(error)
        }
        return Self.report(change, result, seconds: Executor.seconds(since: began))
    }

    /// Membership changes sent as one PATCH (`MembershipBatches`), each with its own report.
    private func runMemberships(_ batch: [Int], of changes: [Change]) async -> [(Int, ChangeReport)] {
        let began = ContinuousClock.now
        let results = await performMemberships(batch.map { changes[$0] })
        let seconds = Executor.seconds(since: began)
        return zip(batch, results).map { index, result in (index, Self.report(changes[index], result, seconds: seconds)) }
    }

    private static func report(_ change: Change, _ result: Result<StepResult, LiveError>, seconds: Double) -> ChangeReport {
        var report = ChangeReport(
            changeID: change.id, destination: change.destination, action: change.action.kind, subject: change.action.subject,
            outcome: .done(adopted: false), httpStatus: nil, attempts: 1, seconds: seconds)
        switch result {
        case .success(let step):
            report.outcome = .done(adopted: step.adopted)
            report.httpStatus = step.status
            report.attempts = step.attempts
        case .failure(let error):
            report.outcome = .failed(reason: error.description)
            if case .status(let code, _, _, _) = error { report.httpStatus = code }
        }
        return report
    }

    /// Writes the change's journal line; the error when it could not be written.
    private func journalLine(_ report: ChangeReport) -> ApplyError? {
        guard let journal else { return nil }
        let entry = JournalEntry(
            time: Instant(executor.options.now()).iso, owner: executor.options.owner, planDigest: planDigest,
            changeID: report.changeID,
            action: report.action.rawValue, subject: report.subject, outcome: report.outcome.label,
            httpStatus: report.httpStatus, attempts: report.attempts, error: report.outcome.reason)
        do throws(ApplyError) {
            try journal.append(entry)
            return nil
        } catch {
            return error
        }
    }
}

/// A run's journal failures: the first error, and the changes that were carried out or tried without a line.
final class JournalWatch {
    private(set) var error: ApplyError?
    private var unrecorded: [String] = []

    func failed(_ error: ApplyError, _ report: ChangeReport) {
        if self.error == nil { self.error = error }
        if case .skipped = report.outcome { return }
        unrecorded.append("\(report.changeID) (\(report.outcome.label))")
    }

    func failure(tenant: String, notStarted: Int) -> ApplyError? {
        guard let error else { return nil }
        let (path, reason) =
            if case .stateFile(let path, let reason) = error { (path, reason) } else { ("the journal", error.description) }
        return .journalUnwritable(tenant: tenant, path: path, reason: reason, unrecorded: unrecorded, notStarted: notStarted)
    }
}

/// Ids made or found by earlier changes of a run, by the keys of `ChangeGraph`.
final class IDRegistry: Sendable {
    private let ids = Mutex<[String: String]>([:])

    subscript(key: String) -> String? {
        get { ids.withLock { $0[key] } }
        set { ids.withLock { $0[key] = newValue } }
    }
}
