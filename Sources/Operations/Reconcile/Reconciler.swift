import Apply
import Foundation
import Live
import Planner
import Spec
import Synchronization

/// The orchestrator (issue 11): follows the WorkOS Events API from a cursor, maps each event to the tenants and
/// people it affects, observes only those people, plans them with the Planner and applies with the Executor, under
/// the tenant's lock and with its journal. It is the same engine as `plan`/`apply`; only what is observed differs.
///
/// A pass reads the events after the cursor (at most `maxEventsPerPass`), handles them tenant by tenant, and saves
/// the cursor past the last event whose changes are done or recorded failed. A tenant that cannot be handled now
/// (its lock is held, it cannot be read) keeps the cursor before its first event: the next pass reads it again, and
/// handling an event twice changes nothing (every batch re-observes before it writes).
public final class Reconciler: Sendable {
    public let workspace: Workspace
    public let observer: Observer
    public let options: ReconcileOptions
    public let store: ReconcileStore
    let workspaceURL: URL
    let frames = Mutex<[String: TenantFrame]>([:])
    let counters = Mutex(ReconcileMetrics())

    public init(workspace: Workspace, observer: Observer, options: ReconcileOptions) {
        self.workspace = workspace
        self.observer = observer
        self.options = options
        self.workspaceURL = URL(fileURLWithPath: workspace.directory)
        self.store = ReconcileStore(workspace: workspaceURL)
    }

    /// The counters so far, with each connection's requests and rate-limit waits.
    public var metrics: ReconcileMetrics {
        var metrics = counters.withLock { $0 }
        metrics.requests = observer.requests
        return metrics
    }

    /// One pass: events since the cursor (or `since`), then the full reconciles that are due.
    public func pass(since: ReconcileSince? = nil) async -> ReconcilePassReport {
        var report = ReconcilePassReport()
        let started = options.now()
        let cursor: ReconcileCursor?
        do throws(OperationsError) {
            cursor = try store.cursor()
        } catch {
            report.errors.append(error.description)
            return report
        }
        await loadFrames(&report)
        var due = dueFullReconciles(cursor: cursor, now: started)
        var query = eventQuery(since: since, cursor: cursor, now: started)
        var saved = cursor ?? ReconcileCursor(after: nil, eventTime: nil, savedAt: Instant(started).iso)
        if let workos = observer.workos {
            do throws(LiveError) {
                if cursor == nil, since == nil {
                    // A first run starts after the newest event: the tenants' first full reconciles cover the past.
                    query.after = try await workos.newestEventID(types: EventRouter.types)
                    saved.after = query.after
                }
                let events = try await workos.events(query, maxEvents: options.maxEventsPerPass)
                report.eventsRead = events.count
                saved = await handle(events, from: saved, due: &due, report: &report)
            } catch {
                report.errors.append("reading the WorkOS events: \(error)")
            }
        }
        saved.savedAt = Instant(options.now()).iso
        for (tenant, reason) in due.sorted(by: { $0.key < $1.key }) where !options.isStopping() {
            guard let spec = workspace.tenant(id: tenant) else { continue }
            report.fullReconciles.append(await fullReconcile(spec, reason: reason, report: &report))
        }
        do throws(OperationsError) {
            try store.save(saved)
            report.cursor = saved
        } catch {
            report.errors.append(error.description)
        }
        finishPass(report, cursor: saved)
        return report
    }

    /// Where to read from: `--since` when given, else after the cursor's event (a cursor without one: no event had
    /// happened yet, so from the first).
    func eventQuery(since: ReconcileSince?, cursor: ReconcileCursor?, now: Date) -> WorkOSEventQuery {
        var query = WorkOSEventQuery(types: EventRouter.types)
        if let since {
            if case .event(let id) = since {
                query.after = id
            } else {
                query.rangeStart = since.rangeStart(now: now).map { Instant($0).iso }
            }
        } else {
            query.after = cursor?.after
        }
        return query
    }

    /// Tenants that need a full reconcile whatever the events say, and why: no state yet, a cursor older than the
    /// event retention, or the `--full-every` interval passed.
    func dueFullReconciles(cursor: ReconcileCursor?, now: Date) -> [String: String] {
        var due: [String: String] = [:]
        let retentionLost =
            cursor?.eventTime.flatMap(Now.parse).map { now.timeIntervalSince($0) > options.retentionSeconds } ?? false
        for tenant in workspace.tenants {
            let state = (try? store.tenant(tenant.id)) ?? nil
            if state?.lastFullReconcile == nil {
                due[tenant.id] = "first"
            } else if retentionLost {
                due[tenant.id] = "retention"
            } else if let every = options.fullEverySeconds, let last = state?.lastFullReconcile.flatMap(Now.parse),
                now.timeIntervalSince(last) >= every
            {
                due[tenant.id] = "schedule"
            }
        }
        return due
    }

    /// Metrics after a pass: events, lag, the time of the pass.
    func finishPass(_ report: ReconcilePassReport, cursor: ReconcileCursor) {
        let now = options.now()
        counters.withLock { metrics in
            metrics.passes += 1
            metrics.lastPassAt = now
            metrics.eventsProcessed += report.events.count { $0.mode != "ignored" && $0.mode != "not-handled" }
            metrics.eventsIgnored += report.events.count { $0.mode == "ignored" }
            metrics.eventsNotHandled += report.events.count { $0.mode == "not-handled" }
            if let last = report.events.last {
                metrics.lagSeconds = last.lagSeconds
            } else if report.eventsRead == 0 {
                metrics.lagSeconds = 0
            }
            metrics.specInvalid = nil
        }
    }

    /// The frames (organization, directories, groups, courses) of every tenant not yet read; a tenant whose frame
    /// cannot be read is reported and its events wait.
    func loadFrames(_ report: inout ReconcilePassReport) async {
        for tenant in workspace.tenants where frames.withLock({ $0[tenant.id] }) == nil {
            do throws(LiveError) {
                _ = try await frame(tenant)
            } catch {
                report.errors.append("tenant \(tenant.id): reading its organization and courses: \(error)")
            }
        }
    }

    var router: EventRouter {
        let externalIDs = workspace.tenants.map {
            (ObservationRequest(tenant: $0).workos?.organizationExternalID ?? $0.id, $0.id)
        }
        return EventRouter(
            frames: frames.withLock { $0 }, externalIDs: Dictionary(externalIDs, uniquingKeysWith: { first, _ in first }))
    }

    static func lag(_ event: WorkOSEvent, now: Date) -> Double {
        guard let created = Now.parse(event.createdAt) else { return 0 }
        return max(0, (now.timeIntervalSince(created) * 1000).rounded() / 1000)
    }
}
