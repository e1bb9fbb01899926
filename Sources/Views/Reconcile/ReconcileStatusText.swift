import Foundation
import Live
import Operations
import Planner

/// What `reconcile --listen` serves: `/metrics` in the Prometheus text format (0.0.4) and `/healthz`.
public enum ReconcileStatusText {
    /// Healthy unless the workspace does not validate, or the stream is behind by more than `intervals` intervals
    /// (the last pass is that old, or the last event handled waited that long).
    public static func health(
        _ metrics: ReconcileMetrics, interval: Double, intervals: Int = 3, now: Date
    ) -> (status: Int, body: String) {
        let allowed = interval * Double(max(1, intervals))
        if let invalid = metrics.specInvalid { return (503, "unhealthy: \(invalid)\n") }
        guard let last = metrics.lastPassAt else { return (503, "starting: no pass finished yet\n") }
        let since = now.timeIntervalSince(last)
        if since > allowed + interval { return (503, "unhealthy: the last pass finished \(Int(since)) s ago\n") }
        if metrics.lagSeconds > allowed { return (503, "unhealthy: \(Int(metrics.lagSeconds)) s behind the event stream\n") }
        return (200, "ok\n")
    }

    public static func prometheus(_ metrics: ReconcileMetrics) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        func label(_ name: String, _ value: String) -> String {
            "{\(name)=\""
                + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\"}"
        }
        family(
            "stoicprov_reconcile_events_total", "counter", "Events handled, ignored (no tenant) and not handled yet.",
            [
                (#"{outcome="processed"}"#, "\(metrics.eventsProcessed)"), (#"{outcome="ignored"}"#, "\(metrics.eventsIgnored)"),
                (#"{outcome="not_handled"}"#, "\(metrics.eventsNotHandled)"),
            ])
        family(
            "stoicprov_reconcile_lag_seconds", "gauge", "Seconds from the last event to its handling.",
            [("", "\(metrics.lagSeconds)")])
        family(
            "stoicprov_reconcile_changes_done_total", "counter", "Changes done per destination.",
            metrics.changesDone.sorted { $0.key < $1.key }.map { (label("destination", $0.key), "\($0.value)") })
        family(
            "stoicprov_reconcile_changes_failed_total", "counter", "Changes failed per destination.",
            metrics.changesFailed.sorted { $0.key < $1.key }.map { (label("destination", $0.key), "\($0.value)") })
        let connections = metrics.requests.sorted { $0.key < $1.key }
        family(
            "stoicprov_requests_total", "counter", "Requests sent per connection (retries included).",
            connections.map { (label("connection", $0.key), "\($0.value.requests)") })
        family(
            "stoicprov_rate_limit_waits_total", "counter", "429 answers waited out per connection.",
            connections.map { (label("connection", $0.key), "\($0.value.rateLimited)") })
        family(
            "stoicprov_reconcile_last_full_timestamp_seconds", "gauge", "When each tenant was last fully reconciled.",
            metrics.lastFullReconcile.sorted { $0.key < $1.key }.map {
                (label("tenant", $0.key), String(Int($0.value.timeIntervalSince1970)))
            })
        family("stoicprov_reconcile_passes_total", "counter", "Passes finished.", [("", "\(metrics.passes)")])
        family(
            "stoicprov_reconcile_spec_valid", "gauge", "1 while the workspace validates, 0 while writes are stopped.",
            [("", metrics.specInvalid == nil ? "1" : "0")])
        return out
    }
}

extension ReconcileStatusText {
    /// One line per tenant for `plan`: `Reconcile pg: last event event_… at 2026-…, lag 1 s; last full reconcile …`.
    public static func text(_ statuses: [TenantReconcileStatus]) -> String {
        statuses.map { "Reconcile \($0.tenant): " + facts($0).joined(separator: "; ") + "." }.joined(separator: "\n")
    }

    /// A section for `describe`'s hand-off sheet.
    public static func markdown(_ status: TenantReconcileStatus) -> String {
        "\n## Reconcile\n\n" + facts(status).map { "- " + $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "\n")
            + "\n"
    }

    static func facts(_ status: TenantReconcileStatus) -> [String] {
        var facts: [String] = []
        if let event = status.lastEventID {
            let lag = status.lagSeconds.map { ", lag " + DurationText.elapsed($0) } ?? ""
            facts.append("last event \(event) at \(status.lastEventTime ?? "?")\(lag)")
        } else {
            facts.append("no event handled yet")
        }
        facts.append("last full reconcile " + (status.lastFullReconcile ?? "never"))
        if let held = status.removalsHeldSince { facts.append("removals held since \(held) (run 'stoicprov apply')") }
        return facts
    }
}
