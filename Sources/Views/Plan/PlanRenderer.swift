import Planner

/// Renders a `Plan` for people and machines: `text` for a terminal, `markdown` for a pull-request comment,
/// `json` for saving and for tools. Pure: returns strings and bytes, never prints.
public enum PlanRenderer {}

// MARK: - Shared formatting

extension PlanRenderer {
    /// `1234567` → `1,234,567`, the same on every machine (no locale).
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (number < 0 ? "-" : "") + result
    }

    /// `"1 change"`, `"3 changes"`.
    static func counted(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(number)) \(number == 1 ? singular : plural ?? singular + "s")"
    }

    /// `12 to create, 1 to update, 1 to remove`.
    static func summary(_ counts: ChangeCounts) -> String {
        "\(grouped(counts.create)) to create, \(grouped(counts.update)) to update, \(grouped(counts.remove)) to remove"
    }

    /// `~52 requests, ~26 s at 120/min on thinkific`.
    static func estimateLine(_ estimate: ApplyEstimate) -> String {
        var text = "~\(counted(estimate.requests, "request"))"
        if let limit = estimate.bindingLimit {
            text += ", ~\(DurationText.estimate(estimate.seconds)) at \(limit)"
        } else if let rate = estimate.requestsPerMinute {
            text += ", ~\(DurationText.estimate(estimate.seconds)) at \(grouped(rate))/min"
        } else if estimate.seconds >= 1 {
            text += ", ~\(DurationText.estimate(estimate.seconds))"
        }
        return text + " on \(estimate.connection)"
    }

    /// `thinkific 6, workos 4` in connection-name order.
    static func requestsLine(_ requests: [String: Int]) -> String {
        requests.sorted { $0.key < $1.key }.map { "\($0.key) \(grouped($0.value))" }.joined(separator: ", ")
    }

    /// The destinations of a tenant's changes and manual steps, in order of first appearance (apply order).
    static func destinations(of tenant: TenantPlan) -> [Destination] {
        var seen: Set<Destination> = []
        var order: [Destination] = []
        for name in tenant.changes.map(\.destination) + tenant.manualSteps.map(\.destination) where seen.insert(name).inserted {
            order.append(name)
        }
        return order
    }
}
