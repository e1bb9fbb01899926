import Planner

extension PlanRenderer {
    /// The terminal form, read like Terraform's plan: per tenant and destination each change as `+`/`~`/`-`,
    /// its description and `(reason)`; manual steps as `! manual: …`; errors and warnings; then counts, seats,
    /// the removal guard, the requests observing made and the estimated cost of applying. ANSI colour only when
    /// `color` is true (the caller knows whether stdout is a terminal and whether `NO_COLOR` is set).
    ///
    /// Each tenant's access summary comes first (see `AccessSummary`). With `byPerson`, the changes are listed one line
    /// per person with everything they gain, change and lose across destinations, instead of per destination.
    public static func text(_ plan: Plan, color: Bool, byPerson: Bool = false) -> String {
        var out = TextOutput(color: color)
        let hasAnythingToShow = plan.tenants.contains {
            !$0.changes.isEmpty || !$0.manualSteps.isEmpty || !$0.errors.isEmpty || !$0.warnings.isEmpty
        }
        guard hasAnythingToShow else {
            out.line("No changes. The live systems match the workspace.")
            let requests = plan.observationRequests
            if !requests.isEmpty { out.line("Requests made: \(printable(requestsLine(requests))).") }
            return out.text
        }
        for tenant in plan.tenants {
            renderSummary(tenant, into: &out)
        }
        for tenant in plan.tenants {
            render(tenant, byPerson: byPerson, into: &out)
            out.line()
        }
        renderTotals(plan, into: &out)
        return out.text
    }

    /// `Summary pg (Procter & Gamble)`, its facts and access lines, for tenants with changes.
    private static func renderSummary(_ tenant: TenantPlan, into out: inout TextOutput) {
        guard !tenant.changes.isEmpty else { return }
        let summary = tenant.accessSummary
        out.line(out.bold("Summary \(printable(tenant.tenant)) (\(printable(tenant.name)))"))
        for fact in summaryFacts(summary, escape: printable) { out.line("  \(fact)") }
        for line in summary.lines {
            let text = accessLineText(line, escape: printable)
            let color: ANSIColor = line.direction == .gain ? .green : line.direction == .loss ? .red : .yellow
            out.line("  " + out.paint(String(text.prefix(1)), color) + String(text.dropFirst()))
        }
        out.line()
    }

    private static func render(_ tenant: TenantPlan, byPerson: Bool, into out: inout TextOutput) {
        out.line(out.bold("Tenant \(printable(tenant.tenant)) (\(printable(tenant.name)))"))
        if byPerson {
            renderPeople(tenant, into: &out)
        } else {
            renderDestinations(tenant, into: &out)
        }
        renderProblems(tenant, into: &out)
    }

    /// One line per person with every change; then the tenant's own objects and manual steps.
    private static func renderPeople(_ tenant: TenantPlan, into out: inout TextOutput) {
        let labels = PersonLabels(tenant.accessSummary, display: .full)
        let entries = PersonView(tenant).entries
        if !entries.isEmpty { out.line() }
        for entry in entries {
            out.line("    \(labels.text(entry.email)): \(partsText(entry.parts, escape: printable))")
        }
        for step in tenant.manualSteps {
            out.line(
                "    \(out.paint("!", .yellow)) manual: \(printable(step.destination.name)): \(printable(step.description)) "
                    + "(\(printable(step.reason)))")
        }
    }

    private static func renderDestinations(_ tenant: TenantPlan, into out: inout TextOutput) {
        for destination in destinations(of: tenant) {
            out.line()
            out.line("  " + out.bold(printable(destination.name)))
            for change in tenant.changes where change.destination == destination {
                let symbol = out.paint(change.kind.symbol, change.kind.color)
                out.line("    \(symbol) \(printable(change.action.description)) (\(printable(change.reason)))")
            }
            for step in tenant.manualSteps where step.destination == destination {
                out.line("    \(out.paint("!", .yellow)) manual: \(printable(step.description)) (\(printable(step.reason)))")
            }
        }
    }

    private static func renderProblems(_ tenant: TenantPlan, into out: inout TextOutput) {
        if !tenant.errors.isEmpty || !tenant.warnings.isEmpty { out.line() }
        for problem in tenant.errors {
            out.line("  \(out.paint("error", .red))[\(printable(problem.code))]: \(printable(problem.message))")
        }
        for problem in tenant.warnings {
            out.line("  \(out.paint("warning", .yellow))[\(printable(problem.code))]: \(printable(problem.message))")
        }
        out.line()
        let counts = tenant.counts
        out.line("  " + (counts.total == 0 ? "No changes." : summary(counts) + "."))
        let seats = "Seats: \(grouped(tenant.seats.entitled)) used / \(grouped(tenant.seats.licensed)) licensed"
        out.line("  " + (tenant.seats.isExceeded ? out.paint(seats + " — exceeded.", .red) : seats + "."))
        let guardrail = tenant.removalGuard
        if guardrail.isTripped {
            let text =
                "Removals: \(grouped(guardrail.removals)) of \(grouped(guardrail.provisioned)) provisioned exceed "
                + "the limit of \(grouped(guardrail.threshold)); applying needs --allow-mass-removal."
            out.line("  " + out.paint(text, .red))
        } else if guardrail.removals > 0 {
            out.line(
                "  Removals: \(grouped(guardrail.removals)) of \(grouped(guardrail.provisioned)) provisioned "
                    + "(limit \(grouped(guardrail.threshold)) without --allow-mass-removal).")
        }
        if !tenant.observationRequests.isEmpty {
            out.line("  Requests made: \(printable(requestsLine(tenant.observationRequests))).")
        }
        if counts.total > 0, !tenant.estimates.isEmpty {
            out.line("  To apply: \(printable(tenant.estimates.map(estimateLine).joined(separator: "; "))).")
        }
    }

    private static func renderTotals(_ plan: Plan, into out: inout TextOutput) {
        out.line(out.bold("Plan: \(summary(plan.counts))."))
        let requests = plan.observationRequests
        if !requests.isEmpty { out.line("Requests made: \(printable(requestsLine(requests))).") }
        let estimates = plan.estimates.filter { $0.requests > 0 }
        if plan.hasChanges, !estimates.isEmpty {
            out.line("To apply: \(printable(estimates.map(estimateLine).joined(separator: "; "))).")
        }
        let failing = plan.tenants.filter { !$0.errors.isEmpty }.map(\.tenant)
        if !failing.isEmpty {
            let text =
                "\(counted(failing.count, "tenant")) with errors (\(printable(failing.joined(separator: ", ")))): "
                + "the plan cannot be applied as it stands."
            out.line(out.paint(text, .red))
        }
        let tripped = plan.tenants.filter { $0.removalGuard.isTripped }.map(\.tenant)
        if !tripped.isEmpty {
            let text =
                "\(counted(tripped.count, "tenant")) over the removal limit (\(printable(tripped.joined(separator: ", ")))): "
                + "applying needs --allow-mass-removal."
            out.line(out.paint(text, .red))
        }
    }
}

// MARK: - Output with optional colour

/// Text from the plan on one line, control characters shown as `?`: an escape sequence in a group name or a newline
/// in a reason must not rewrite the reviewer's terminal or forge lines of the plan (see `Sanitizer`).
private func printable(_ text: String) -> String { Sanitizer.line(text) }

private enum ANSIColor: String {
    case red = "31"
    case green = "32"
    case yellow = "33"
}

extension Change.Kind {
    fileprivate var color: ANSIColor {
        switch self {
        case .create: .green
        case .update: .yellow
        case .remove: .red
        }
    }
}

private struct TextOutput {
    let color: Bool
    private(set) var text = ""

    mutating func line(_ line: String = "") {
        text += line + "\n"
    }

    func paint(_ text: String, _ ansi: ANSIColor) -> String {
        color ? "\u{1B}[\(ansi.rawValue)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String {
        color ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
}
