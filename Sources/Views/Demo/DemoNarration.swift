import Planner

/// What `stoicprov demo` says about a plan, as lines that fit a terminal: counts per tenant and destination, a few
/// sample changes, or every change in full (wrapped, never cut). Pure: the command prints the lines.
public enum DemoNarration {
    /// One line per tenant with changes: `pg: workos +1 · thinkific +152 · insights +80`.
    public static func counts(_ plan: Plan, width: Int = 80) -> [String] {
        plan.tenants.filter { !$0.changes.isEmpty }.flatMap { tenant in
            let parts = destinations(of: tenant).map { destination in
                let counts = ChangeCounts(tenant.changes.filter { $0.destination == destination })
                let figures = [("+", counts.create), ("~", counts.update), ("-", counts.remove)]
                    .filter { $0.1 > 0 }.map { "\($0.0)\($0.1)" }
                return "\(Sanitizer.line(destination.name)) \(figures.joined(separator: " "))"
            }
            return wrap("  \(Sanitizer.line(tenant.tenant)): " + parts.joined(separator: " · "), width: width, indent: 6)
        }
    }

    /// Up to `limit` changes, spread over destinations (the first change of each, then the second...), each as
    /// `destination  + description (reason)`, followed by how many more there are.
    public static func samples(_ plan: Plan, limit: Int, width: Int = 80) -> [String] {
        let changes = plan.tenants.flatMap(\.changes)
        var byDestination: [Destination: [Change]] = [:]
        var order: [Destination] = []
        for change in changes {
            if byDestination[change.destination] == nil { order.append(change.destination) }
            byDestination[change.destination, default: []].append(change)
        }
        var picked: [Change] = []
        var round = 0
        while picked.count < min(limit, changes.count) {
            for destination in order where picked.count < limit {
                if let list = byDestination[destination], round < list.count { picked.append(list[round]) }
            }
            round += 1
        }
        var lines = picked.flatMap { line(for: $0, width: width) }
        if changes.count > picked.count { lines.append("  … and \(changes.count - picked.count) more") }
        return lines
    }

    /// `152 to create, 3 to update, 2 to remove` (kinds with none left out; `nothing` when empty).
    public static func summary(_ counts: ChangeCounts) -> String {
        let parts = [(counts.create, "create"), (counts.update, "update"), (counts.remove, "remove")]
            .filter { $0.0 > 0 }.map { "\($0.0) to \($0.1)" }
        return parts.isEmpty ? "nothing to change" : parts.joined(separator: ", ")
    }

    /// Every change of the plan, in plan order, in full.
    public static func changes(_ plan: Plan, width: Int = 80) -> [String] {
        plan.tenants.flatMap { tenant in tenant.changes.flatMap { line(for: $0, tenant: tenant.tenant, width: width) } }
    }

    /// `  thinkific  - expire ana@pg.com in leading-teams (left SG-Stoic-Managers)`, wrapped at `width`: the
    /// reason in parentheses is never split, continuation lines are indented.
    public static func line(for change: Change, tenant: String? = nil, width: Int = 80) -> [String] {
        let place = Sanitizer.line([tenant, change.destination.name].compactMap { $0 }.joined(separator: "/"))
        let head = "  \(place)  \(change.kind.symbol) \(Sanitizer.line(change.action.description))"
        return wrap(head, reason: "(\(Sanitizer.line(change.reason)))", width: width, indent: 6)
    }

    /// Breaks `text` at spaces so that no line is longer than `width` (a single longer word stays whole);
    /// continuation lines start with `indent` spaces. `reason`, when given, is appended as one unbreakable word.
    public static func wrap(_ text: String, reason: String? = nil, width: Int, indent: Int) -> [String] {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let leading = words.prefix { $0.isEmpty }.count
        words.removeFirst(leading)
        if let reason { words.append(reason) }
        var lines: [String] = []
        var current = String(repeating: " ", count: leading)
        var hasWord = false
        for word in words {
            if hasWord, current.count + 1 + word.count > width {
                lines.append(current)
                current = String(repeating: " ", count: indent) + word
            } else {
                current += (hasWord ? " " : "") + word
            }
            hasWord = true
        }
        lines.append(current)
        return lines
    }

    private static func destinations(of tenant: TenantPlan) -> [Destination] {
        var seen: [Destination] = []
        for change in tenant.changes where !seen.contains(change.destination) { seen.append(change.destination) }
        return seen
    }
}
