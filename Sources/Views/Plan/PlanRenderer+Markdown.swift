import Planner
import Spec

extension PlanRenderer {
    /// A pull-request comment, read as a reviewer reads it: a one-line verdict, a table per tenant and destination,
    /// errors and the removal limit; then per tenant the access summary (changes grouped by cause and grant with
    /// counts, seats before → after against the licence, programme, time to apply, objects created) and every person
    /// who loses anything, one line each, up to `removalCap` people with a count beyond; then manual steps, warnings,
    /// and in a collapsed `<details>` per tenant one line per person with every change.
    ///
    /// People are shown as `display` says (the plan's `email_display`, else masked): `Ana G. · a…@pg.com #3f2c`.
    /// Every outside value goes through `Sanitizer`: no markup, mention, reference, control character or line break
    /// gets through.
    ///
    /// The result never exceeds `maxCharacters` (UTF-16 code units, as GitHub's 65,536 limit counts): per-person
    /// details go first, then warnings and manual steps, then removals beyond what fits; a note says what was cut.
    /// The verdict, table, errors and summaries are never cut unless they alone exceed the limit.
    public static func markdown(
        _ plan: Plan, display: EmailDisplay? = nil, maxCharacters: Int = 60_000, removalCap: Int = 300
    ) -> String {
        MarkdownRendering(plan: plan, display: display ?? plan.emailDisplay ?? .masked, removalCap: removalCap)
            .render(maxCharacters: maxCharacters)
    }

    /// `showEmails` shows every address in full (`--show-emails`); otherwise as the plan says.
    public static func markdown(_ plan: Plan, showEmails: Bool, maxCharacters: Int = 60_000) -> String {
        markdown(plan, display: showEmails ? .full : nil, maxCharacters: maxCharacters)
    }
}

private struct MarkdownRendering {
    let plan: Plan
    let display: EmailDisplay
    let removalCap: Int
    /// Per tenant, in plan order.
    let summaries: [AccessSummary]
    let views: [PersonView]
    let labels: [PersonLabels]

    init(plan: Plan, display: EmailDisplay, removalCap: Int) {
        self.plan = plan
        self.display = display
        self.removalCap = removalCap
        summaries = plan.tenants.map(\.accessSummary)
        views = plan.tenants.map(PersonView.init)
        labels = summaries.map { PersonLabels($0, display: display) }
    }

    func render(maxCharacters: Int) -> String {
        let head = verdict + "\n\n" + table + errorsSection + removalLimitSection
        let tenantSummaries = plan.tenants.indices.map(summarySection)
        let foot = footer
        // Room for the note that says what was cut, at its longest.
        let noteReserve = 300
        var budget =
            maxCharacters - length(head) - tenantSummaries.reduce(0) { $0 + length($1) } - length(foot) - noteReserve
        var omitted = Omitted()
        let removals = plan.tenants.indices.map { removalSection($0, budget: &budget, omitted: &omitted.removals) }
        let manual = listSection(
            "Manual steps", items: plan.tenants.flatMap { tenant in tenant.manualSteps.map { manualItem($0, of: tenant) } },
            budget: &budget, omitted: &omitted.manualSteps)
        let warnings = listSection(
            "Warnings", items: plan.tenants.flatMap { tenant in tenant.warnings.map { problemItem($0, of: tenant) } },
            budget: &budget, omitted: &omitted.warnings)
        let details = detailsSection(budget: &budget, omitted: &omitted.people)

        var body = head
        for index in plan.tenants.indices { body += tenantSummaries[index] + removals[index] }
        body += manual + warnings + details
        if let note = omitted.note { body += note + "\n\n" }
        body += foot
        guard length(body) > maxCharacters else { return body }
        // Only the never-cut parts are too long (thousands of tenants or errors): cut them at a line, with a note.
        return truncated(head + tenantSummaries.joined(), to: maxCharacters)
    }

    // MARK: - Never cut

    private var verdict: String {
        let counts = plan.counts
        var text = "**stoicprov plan**: \(PlanRenderer.counted(plan.tenants.count, "tenant")), "
        text += counts.total == 0 ? "no changes" : PlanRenderer.summary(counts)
        let failing = plan.tenants.filter { !$0.errors.isEmpty }.count
        if failing > 0 {
            text += " — ❌ \(PlanRenderer.counted(failing, "tenant")) \(failing == 1 ? "has" : "have") errors"
        }
        let tripped = plan.tenants.filter(\.removalGuard.isTripped).count
        if tripped > 0 {
            text += " — ⚠ \(PlanRenderer.counted(tripped, "tenant")) \(tripped == 1 ? "needs" : "need") --allow-mass-removal"
        }
        return text
    }

    private var table: String {
        var text = "| Tenant | Destination | Create | Update | Remove | Manual | Seats |\n"
        text += "|:--|:--|--:|--:|--:|--:|:--|\n"
        for tenant in plan.tenants {
            let seats =
                "\(PlanRenderer.grouped(tenant.seats.entitled)) / \(PlanRenderer.grouped(tenant.seats.licensed))"
                + (tenant.seats.isExceeded ? " ⚠ exceeded" : "")
            let destinations = PlanRenderer.destinations(of: tenant)
            let label = "\(escaped(tenant.tenant)) — \(escaped(tenant.name))"
            guard !destinations.isEmpty else {
                text += "| \(label) | no changes | 0 | 0 | 0 | 0 | \(seats) |\n"
                continue
            }
            for (index, destination) in destinations.enumerated() {
                let counts = ChangeCounts(tenant.changes.filter { $0.destination == destination })
                let manual = tenant.manualSteps.filter { $0.destination == destination }.count
                let cells = [
                    index == 0 ? label : "", escaped(destination.name), PlanRenderer.grouped(counts.create),
                    PlanRenderer.grouped(counts.update), PlanRenderer.grouped(counts.remove), PlanRenderer.grouped(manual),
                    index == 0 ? seats : "",
                ]
                text += "| " + cells.joined(separator: " | ") + " |\n"
            }
        }
        return text + "\n"
    }

    private var errorsSection: String {
        let items = plan.tenants.flatMap { tenant in tenant.errors.map { problemItem($0, of: tenant) } }
        guard !items.isEmpty else { return "" }
        return "### ❌ Errors\n\n" + items.joined() + "\n"
    }

    private var removalLimitSection: String {
        let tripped = plan.tenants.filter(\.removalGuard.isTripped)
        guard !tripped.isEmpty else { return "" }
        var text = "### ⚠ Removal limit\n\n"
        for tenant in tripped {
            let guardrail = tenant.removalGuard
            text +=
                "- **\(escaped(tenant.tenant))**: \(PlanRenderer.grouped(guardrail.removals)) removals of "
                + "\(PlanRenderer.grouped(guardrail.provisioned)) provisioned exceed the limit of "
                + "\(PlanRenderer.grouped(guardrail.threshold)); applying needs `--allow-mass-removal`.\n"
        }
        return text + "\n"
    }

    /// A tenant's access summary: facts, then one line per cause and grant set.
    private func summarySection(_ index: Int) -> String {
        let tenant = plan.tenants[index]
        let summary = summaries[index]
        guard !tenant.changes.isEmpty else { return "" }
        var text = "### \(escaped(tenant.tenant)) — \(escaped(tenant.name))\n\n"
        for fact in PlanRenderer.summaryFacts(summary, escape: escaped) { text += "- \(fact)\n" }
        if !summary.lines.isEmpty {
            text += "\n**Access**\n\n"
            for line in summary.lines { text += "- \(PlanRenderer.accessLineText(line, escape: escaped))\n" }
        }
        return text + "\n"
    }

    private var footer: String {
        var parts: [String] = []
        let requests = plan.observationRequests
        if !requests.isEmpty { parts.append("Requests made: \(escaped(PlanRenderer.requestsLine(requests)))") }
        let estimates = plan.estimates.filter { $0.requests > 0 }
        if plan.hasChanges, !estimates.isEmpty {
            parts.append("To apply: \(escaped(estimates.map(PlanRenderer.estimateLine).joined(separator: "; ")))")
        }
        return parts.isEmpty ? "" : "<sub>" + parts.joined(separator: " · ") + "</sub>\n"
    }

    // MARK: - Cut when too long

    /// Every person of the tenant who loses anything, with what and why, up to `removalCap` and the budget.
    private func removalSection(_ index: Int, budget: inout Int, omitted: inout Int) -> String {
        let people = views[index].withLosses
        guard !people.isEmpty else { return "" }
        let heading =
            "**Removals: \(PlanRenderer.counted(people.count, "person", "people")) "
            + "\(people.count == 1 ? "loses" : "lose") access**\n\n"
        var text = ""
        var shown = 0
        for entry in people.prefix(removalCap) {
            let line = "- \(labels[index].markdown(entry.email)) — \(PlanRenderer.partsText(entry.losses, escape: escaped))\n"
            let cost = length(line) + (text.isEmpty ? length(heading) + 1 : 0)
            guard cost <= budget else { break }
            budget -= cost
            text += line
            shown += 1
        }
        let beyond = people.count - shown
        guard !text.isEmpty else {
            omitted += beyond
            return ""
        }
        if beyond > 0 {
            let more = "- … and \(PlanRenderer.counted(beyond, "more person", "more people")) (`stoicprov plan --by person`)\n"
            budget -= length(more)
            text += more
        }
        return heading + text + "\n"
    }

    private func manualItem(_ step: ManualStep, of tenant: TenantPlan) -> String {
        "- **\(escaped(tenant.tenant))** · \(escaped(step.destination.name)): \(prose(step.description)) (\(prose(step.reason)))\n"
    }

    private func problemItem(_ problem: PlanProblem, of tenant: TenantPlan) -> String {
        "- **\(escaped(tenant.tenant))**: \(prose(problem.message)) (\(Sanitizer.codeSpan(problem.code)))\n"
    }

    /// A titled list holding as many items as the budget allows.
    private func listSection(_ title: String, items: [String], budget: inout Int, omitted: inout Int) -> String {
        guard !items.isEmpty else { return "" }
        let heading = "### \(title)\n\n"
        var text = ""
        for (index, item) in items.enumerated() {
            let cost = length(item) + (text.isEmpty ? length(heading) + 1 : 0)
            guard cost <= budget else {
                omitted = items.count - index
                break
            }
            budget -= cost
            text += item
        }
        return text.isEmpty ? "" : heading + text + "\n"
    }

    /// Per tenant, one line per person with every change, collapsed; as many people as the budget allows.
    private func detailsSection(budget: inout Int, omitted: inout Int) -> String {
        var text = ""
        let heading = "### Per person\n\n"
        for index in plan.tenants.indices {
            let tenant = plan.tenants[index]
            let entries = views[index].entries
            guard !entries.isEmpty else { continue }
            let counts = tenant.counts
            let summary = Sanitizer.html(
                "\(tenant.tenant) — \(tenant.name): \(PlanRenderer.counted(entries.count, "person", "people")), "
                    + "\(PlanRenderer.grouped(counts.remove)) to remove, \(PlanRenderer.grouped(counts.create)) to create, "
                    + "\(PlanRenderer.grouped(counts.update)) to update")
            let open = "<details><summary>\(summary)</summary>\n\n"
            let close = "\n</details>\n\n"
            var lines = ""
            var shown = 0
            for entry in entries {
                let line = "- \(labels[index].markdown(entry.email)): \(PlanRenderer.partsText(entry.parts, escape: escaped))\n"
                let cost =
                    length(line) + (lines.isEmpty ? length(open) + length(close) + (text.isEmpty ? length(heading) : 0) : 0)
                guard cost <= budget else { break }
                budget -= cost
                lines += line
                shown += 1
            }
            omitted += entries.count - shown
            if !lines.isEmpty { text += (text.isEmpty ? heading : "") + open + lines + close }
        }
        return text
    }

    private struct Omitted {
        var removals = 0
        var manualSteps = 0
        var warnings = 0
        var people = 0

        var note: String? {
            var parts: [String] = []
            if removals > 0 { parts.append(PlanRenderer.counted(removals, "more removal")) }
            if manualSteps > 0 { parts.append(PlanRenderer.counted(manualSteps, "more manual step")) }
            if warnings > 0 { parts.append(PlanRenderer.counted(warnings, "more warning")) }
            if people > 0 { parts.append(PlanRenderer.counted(people, "more person", "more people") + " in the details") }
            guard !parts.isEmpty else { return nil }
            return "… \(parts.joined(separator: ", ")) not shown; run `stoicprov show plan.json --by person` for every "
                + "person, or `stoicprov show plan.json` for every change"
        }
    }

    private func truncated(_ text: String, to maxCharacters: Int) -> String {
        let note = "… cut to fit a comment; run `stoicprov show plan.json` for the full plan\n"
        var result = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let next = String(line) + "\n"
            guard length(result) + length(next) + length(note) <= maxCharacters else { break }
            result += next
        }
        return result + "\n" + note
    }

    // MARK: - Escaping

    private func escaped(_ text: String) -> String { Sanitizer.markdown(text) }

    /// Free text that may hold emails: each email (shown as the display says) becomes a code span, which GitHub
    /// neither links nor treats as an @mention; the rest is escaped.
    private func prose(_ text: String) -> String {
        EmailMask.segments(of: text).map { segment in
            segment.isEmail
                ? Sanitizer.codeSpan(display == .full ? segment.text : EmailMask.mask(segment.text))
                : escaped(segment.text)
        }.joined()
    }

    private func length(_ text: String) -> Int { text.utf16.count }
}
