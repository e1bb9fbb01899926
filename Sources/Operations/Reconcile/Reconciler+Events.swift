import Apply
import Foundation
import Live
import Planner
import Spec

extension Reconciler {
    /// Handles a page of events tenant by tenant (in the order of each tenant's first event) and returns the cursor
    /// past the last event whose changes are done or recorded failed: every event before the first event of a
    /// tenant that must wait belongs to a tenant handled already.
    func handle(
        _ events: [WorkOSEvent], from cursor: ReconcileCursor, due: inout [String: String], report: inout ReconcilePassReport
    ) async -> ReconcileCursor {
        let router = self.router
        let routes = events.map(router.route)
        var order: [String] = []
        var positions: [String: [Int]] = [:]
        var lines = [ReconcileEventReport?](repeating: nil, count: events.count)
        let now = options.now()
        for (position, route) in routes.enumerated() {
            guard let tenant = route.tenant, workspace.tenant(id: tenant) != nil else {
                lines[position] = Self.line(
                    events[position], tenant: nil, mode: route == .notHandled ? "not-handled" : "ignored", now: now)
                continue
            }
            if positions[tenant] == nil { order.append(tenant) }
            positions[tenant, default: []].append(position)
        }
        var stop = events.count
        for tenant in order {
            guard let spec = workspace.tenant(id: tenant), let indices = positions[tenant] else { continue }
            if options.isStopping() {
                stop = min(stop, indices[0])
                continue
            }
            let batch = indices.map { (event: events[$0], route: routes[$0]) }
            switch await handleTenant(spec, batch, fullReason: due[tenant], report: &report) {
            case .retry(let reason):
                report.errors.append("tenant \(tenant): \(reason) (its events are read again on the next pass)")
                stop = min(stop, indices[0])
            case .handled(let tenantLines, let ranFull):
                for (offset, position) in indices.enumerated() { lines[position] = tenantLines[offset] }
                if ranFull { due[tenant] = nil }
            }
        }
        report.events += lines[0..<stop].compactMap { $0 }
        var next = cursor
        if stop > 0 {
            next.after = events[stop - 1].id
            next.eventTime = events[stop - 1].createdAt
            next.savedAt = Instant(now).iso
        }
        return next
    }

    enum TenantEventsOutcome {
        case retry(String)
        case handled([ReconcileEventReport], ranFull: Bool)
    }

    /// One tenant's events of the page: a targeted batch of their people, or a full reconcile when an event asks for
    /// one, the tenant is due one anyway, or the people are more than a full reconcile costs (`BurstThreshold`).
    func handleTenant(
        _ tenant: Tenant, _ batch: [(event: WorkOSEvent, route: EventRoute)], fullReason: String?,
        report: inout ReconcilePassReport
    ) async -> TenantEventsOutcome {
        var ids: Set<String> = []
        var emails: Set<String> = []
        var persons: Set<String> = []  // one key per person: the directory user id, else the email
        var signIns: [SignIn] = []
        var reason = fullReason
        for item in batch {
            switch item.route {
            case .people(_, let userIDs, let addresses):
                ids.formUnion(userIDs)
                emails.formUnion(addresses)
                if let key = userIDs.first ?? addresses.first { persons.insert(key) }
            case .signIn(_, let signIn) where !tenant.signInRules.isEmpty:
                signIns.append(signIn)
                persons.insert(signIn.email)
            case .signIn: break
            case .full: reason = reason ?? "event"
            case .refreshFrame:
                frames.withLock { $0[tenant.id] = nil }
                try? forgetSavedFrame(tenant.id)
            case .unknownOrganization, .notHandled: break
            }
        }
        if reason == nil, persons.count >= burstThreshold(tenant) { reason = "burst" }
        let now = options.now()
        guard reason != nil || !ids.isEmpty || !emails.isEmpty || !signIns.isEmpty else {
            return .handled(batch.map { Self.line($0.event, tenant: tenant.id, mode: "frame", now: now) }, ranFull: false)
        }
        let digest = "reconcile:\(tenant.id):\(batch.first?.event.id ?? ""):\(batch.last?.event.id ?? "")"
        let people =
            reason == nil ? PeopleRequest(directoryUserIDs: Array(ids), emails: Array(emails), signIns: signIns) : nil
        switch await run(tenant, people: people, digest: digest) {
        case .retry(let why): return .retry(why)
        case .done(let applied, let verified):
            if let held = verified?.heldReason, (verified?.held ?? 0) > 0 { report.removalsHeld[tenant.id] = held }
            if let reason {
                report.fullReconciles.append(Self.fullReport(tenant.id, reason: reason, applied, verified))
            }
            let handledAt = options.now()
            let lines = batch.map { item in
                Self.line(
                    item.event, tenant: tenant.id, mode: reason == nil ? "targeted" : "full", now: handledAt,
                    applied: applied, verified: verified, whole: reason != nil)
            }
            try? markHandled(tenant.id, last: batch.last?.event, at: handledAt)
            return .handled(lines, ranFull: reason != nil)
        }
    }

    /// A full reconcile outside the events (first run, retention, schedule); a tenant that cannot be handled now is
    /// reported and tried again on the next pass.
    func fullReconcile(_ tenant: Tenant, reason: String, report: inout ReconcilePassReport) async -> FullReconcileReport {
        switch await run(tenant, people: nil, digest: "reconcile:\(tenant.id):full:\(Instant(options.now()).iso)") {
        case .retry(let why):
            report.errors.append("tenant \(tenant.id): full reconcile (\(reason)) not done: \(why)")
            return FullReconcileReport(tenant: tenant.id, reason: reason, done: 0, failed: 0, held: 0, refusal: why)
        case .done(let applied, let verified):
            if let held = verified?.heldReason, (verified?.held ?? 0) > 0 { report.removalsHeld[tenant.id] = held }
            return Self.fullReport(tenant.id, reason: reason, applied, verified)
        }
    }

    func burstThreshold(_ tenant: Tenant) -> Int {
        if let people = options.burstPeople { return max(1, people) }
        let state = (try? store.tenant(tenant.id)) ?? nil
        let groups = Set(tenant.access.compactMap(\.thinkific).flatMap(\.groups)).count
        let apps = Array(Set(tenant.access.flatMap { $0.scim.map(\.connection) }))
        return BurstThreshold.people(fullCost: state?.fullCost ?? [:], managedGroups: groups, scimApps: apps)
    }

    func forgetSavedFrame(_ tenant: String) throws(OperationsError) {
        guard var state = try store.tenant(tenant), state.frame != nil else { return }
        state.frame = nil
        state.frameDigest = nil
        try store.save(state, tenant: tenant)
    }

    func markHandled(_ tenant: String, last: WorkOSEvent?, at time: Date) throws(OperationsError) {
        guard let last, var state = try store.tenant(tenant) else { return }
        state.lastEventID = last.id
        state.lastEventTime = last.createdAt
        state.lastHandledAt = Instant(time).iso
        try store.save(state, tenant: tenant)
    }

    static func fullReport(
        _ tenant: String, reason: String, _ applied: TenantApplyReport, _ verified: VerifiedBatch?
    ) -> FullReconcileReport {
        FullReconcileReport(
            tenant: tenant, reason: reason, done: applied.doneCount, failed: applied.failedCount, held: verified?.held ?? 0,
            refusal: applied.refusal)
    }

    /// The log line of one event; a targeted line counts the changes whose subject is one of the event's people, a
    /// full one the whole batch's.
    static func line(
        _ event: WorkOSEvent, tenant: String?, mode: String, now: Date, applied: TenantApplyReport? = nil,
        verified: VerifiedBatch? = nil, whole: Bool = false
    ) -> ReconcileEventReport {
        let people = Array(Set([event.email, event.previousEmail].compactMap { $0 })).sorted()
        let mine = (applied?.changes ?? []).filter { change in
            whole || change.changeID.lowercased().split(separator: "/").contains { people.contains(String($0)) }
        }
        return ReconcileEventReport(
            event: event.id, type: event.type, tenant: tenant, people: people, mode: mode,
            done: mine.count { $0.outcome.isDone }, failed: mine.count { if case .failed = $0.outcome { true } else { false } },
            held: verified?.held ?? 0, lagSeconds: lag(event, now: now), refusal: applied?.refusal)
    }
}
