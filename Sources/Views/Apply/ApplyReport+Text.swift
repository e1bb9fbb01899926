import Apply
import Foundation
import Planner

/// The itemised report printed at the end of an apply: per tenant, counts, request rates, then every change that
/// did not succeed with its reason. Pure: the CLI prints it. Server messages and ids go through `Sanitizer.line`.
public enum ApplyReportText {
    public static func render(_ report: ApplyReport) -> String {
        guard !report.tenants.isEmpty else { return "Nothing to apply." }
        var lines: [String] = []
        for tenant in report.tenants {
            if let refusal = tenant.refusal {
                lines.append("Tenant \(Sanitizer.line(tenant.tenant)): refused — \(Sanitizer.line(refusal))")
                continue
            }
            let adopted = tenant.changes.count { if case .done(true) = $0.outcome { true } else { false } }
            var summary = "Tenant \(Sanitizer.line(tenant.tenant)): \(tenant.doneCount) done"
            if adopted > 0 { summary += " (\(adopted) adopted existing objects)" }
            summary += ", \(tenant.failedCount) failed, \(tenant.skippedCount) skipped"
            summary += " in \(DurationText.elapsed(tenant.seconds))."
            lines.append(summary)
            let requests = tenant.requests.keys.sorted().compactMap { name -> String? in
                guard let stats = tenant.requests[name], stats.requests > 0 else { return nil }
                let rate = tenant.seconds > 0 ? Double(stats.requests) * 60 / tenant.seconds : 0
                var text = "\(Sanitizer.line(name)) \(stats.requests) (\(Int(rate.rounded()))/min"
                if stats.retries > 0 { text += ", \(stats.retries) retried" }
                if stats.rateLimited > 0 { text += ", \(stats.rateLimited) rate-limited" }
                return text + ")"
            }
            if !requests.isEmpty { lines.append("  Requests: " + requests.joined(separator: ", ") + ".") }
            for change in tenant.changes.sorted(by: { $0.changeID < $1.changeID }) {
                switch change.outcome {
                case .done: continue
                case .failed(let reason):
                    lines.append("  ✗ failed  \(Sanitizer.line(change.changeID)): \(Sanitizer.line(reason))")
                case .skipped(let reason):
                    lines.append("  ○ skipped \(Sanitizer.line(change.changeID)): \(Sanitizer.line(reason))")
                }
            }
        }
        let done = report.tenants.reduce(0) { $0 + $1.doneCount }
        let failed = report.tenants.reduce(0) { $0 + $1.failedCount }
        let skipped = report.tenants.reduce(0) { $0 + $1.skippedCount }
        let refused = report.tenants.count { $0.refusal != nil }
        var total = "Apply: \(done) done, \(failed) failed, \(skipped) skipped"
        if refused > 0 { total += ", \(refused) tenant\(refused == 1 ? "" : "s") refused" }
        lines.append(total + " in \(DurationText.elapsed(report.seconds)).")
        if report.hasFailures { lines.append("Run 'stoicprov plan' to see what is left; applying again carries it out.") }
        return lines.joined(separator: "\n")
    }
}
