import Planner

extension PlanRenderer {
    /// A pull-request comment: a one-line verdict, a summary table per tenant and destination, errors, the removal
    /// limit, manual steps and warnings in plain sight, then each tenant's changes in a collapsed `<details>`
    /// section with removals first. Emails are masked (`a***@pg.com`, names left out) unless `showEmails`.
    ///
    /// The result never exceeds `maxCharacters` (counted in UTF-16 code units, as GitHub's 65,536 limit is):
    /// when it would, details go first (removals are kept longest), then warnings and manual steps, and a closing
    /// note says what was cut. The verdict, table and errors are never cut unless they alone exceed the limit.
    public static func markdown(_ plan: Plan, showEmails: Bool = false, maxCharacters: Int = 60_000) -> String {
        MarkdownRendering(plan: plan, showEmails: showEmails).render(maxCharacters: maxCharacters)
    }
}

private struct MarkdownRendering {
    let plan: Plan
    let showEmails: Bool

    func render(maxCharacters: Int) -> String {
        let head = verdict + "\n\n" + table + errorsSection + removalLimitSection
        let foot = footer
        // Room for the note that says what was cut, at its longest.
        let noteReserve = 200
        var budget = maxCharacters - length(head) - length(foot) - noteReserve
        var omittedManualSteps = 0
        var omittedWarnings = 0

        let manual = listSection(
            "Manual steps", items: plan.tenants.flatMap { tenant in tenant.manualSteps.map { manualItem($0, of: tenant) } },
            budget: &budget, omitted: &omittedManualSteps)
        let warnings = listSection(
            "Warnings", items: plan.tenants.flatMap { tenant in tenant.warnings.map { problemItem($0, of: tenant) } },
            budget: &budget, omitted: &omittedWarnings)
        let (details, omittedChanges) = detailsSection(budget: &budget)

        var body = head + manual + warnings + details
        let note = cutNote(changes: omittedChanges, manualSteps: omittedManualSteps, warnings: omittedWarnings)
        if let note { body += note + "\n\n" }
        body += foot
        guard length(body) > maxCharacters else { return body }
        // Only the never-cut parts are too long (thousands of tenants or errors): cut them at a line, with a note.
        return truncated(head, to: maxCharacters)
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
                    index == 0 ? label : "", escaped(destination), PlanRenderer.grouped(counts.create),
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

    private func manualItem(_ step: ManualStep, of tenant: TenantPlan) -> String {
        "- **\(escaped(tenant.tenant))** · \(escaped(step.destination)): \(prose(step.description)) (\(prose(step.reason)))\n"
    }

    private func problemItem(_ problem: PlanProblem, of tenant: TenantPlan) -> String {
        "- **\(escaped(tenant.tenant))**: \(prose(problem.message)) (`\(problem.code.replacingOccurrences(of: "`", with: "'"))`)\n"
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

    /// Each tenant's changes, removals first, in a collapsed section; as many as the budget allows, choosing
    /// removals of every tenant before any other change.
    private func detailsSection(budget: inout Int) -> (text: String, omitted: Int) {
        /// One tenant's section. Lines are rendered only when considered, so a huge plan costs what is shown.
        struct Block {
            var summary: String
            /// Removals first, then the rest, each in plan order.
            var ordered: [Change]
            var removals: Int
            var lines: [String] = []
            /// Longest run of backticks in `lines`: the fence must be longer.
            var backtickRun = 0

            var fence: String { String(repeating: "`", count: fenceLength(backtickRun)) }
            var open: String { "<details><summary>\(summary)</summary>\n\n\(fence)diff\n" }
            var close: String { "\(fence)\n\n</details>\n\n" }

            func fenceLength(_ run: Int) -> Int { max(3, run + 1) }
        }
        var blocks: [Block] = plan.tenants.map { tenant in
            let removals = tenant.changes.filter { $0.kind == .remove }
            let counts = tenant.counts
            let summary =
                "\(tenant.tenant) — \(tenant.name): \(PlanRenderer.grouped(counts.remove)) to remove, "
                + "\(PlanRenderer.grouped(counts.create)) to create, \(PlanRenderer.grouped(counts.update)) to update"
            return Block(
                summary: htmlEscaped(summary), ordered: removals + tenant.changes.filter { $0.kind != .remove },
                removals: removals.count)
        }
        let heading = "### Details\n\n"
        let total = blocks.reduce(0) { $0 + $1.ordered.count }
        var shown = 0
        // Removals of every tenant first, then the rest; stop at the first line that does not fit.
        fill: for pass in 0..<2 {
            for index in blocks.indices {
                let range = pass == 0 ? 0..<blocks[index].removals : blocks[index].removals..<blocks[index].ordered.count
                for position in range {
                    let line = changeLine(blocks[index].ordered[position])
                    let run = max(blocks[index].backtickRun, longestBacktickRun(in: line))
                    // The line; the section's wrapping with the first line; two longer fences when a line needs them.
                    let cost =
                        length(line)
                        + (blocks[index].lines.isEmpty
                            ? length(blocks[index].open) + length(blocks[index].close) : 0)
                        + 2 * (blocks[index].fenceLength(run) - blocks[index].fenceLength(blocks[index].backtickRun))
                        + (shown == 0 ? length(heading) : 0)
                    guard cost <= budget else { break fill }
                    budget -= cost
                    blocks[index].backtickRun = run
                    blocks[index].lines.append(line)
                    shown += 1
                }
            }
        }
        var text = shown > 0 ? heading : ""
        for block in blocks where !block.lines.isEmpty {
            text += block.open + block.lines.joined() + block.close
        }
        return (text, total - shown)
    }

    private func changeLine(_ change: Change) -> String {
        let description = change.action.description(maskingEmails: !showEmails)
        let reason = showEmails ? change.reason : EmailMask.maskEmails(in: change.reason)
        let line = "\(change.kind.symbol) \(change.destination): \(description) (\(reason))"
        return line.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") + "\n"
    }

    private func cutNote(changes: Int, manualSteps: Int, warnings: Int) -> String? {
        var parts: [String] = []
        if changes > 0 { parts.append(PlanRenderer.counted(changes, "more change")) }
        if manualSteps > 0 { parts.append(PlanRenderer.counted(manualSteps, "more manual step")) }
        if warnings > 0 { parts.append(PlanRenderer.counted(warnings, "more warning")) }
        guard !parts.isEmpty else { return nil }
        return "… \(parts.joined(separator: ", ")) not shown; run `stoicprov show plan.json` for the full plan"
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

    /// Plain text for Markdown prose and table cells: Markdown punctuation backslash-escaped, HTML characters as
    /// entities, so a group called `<script>` or `a|b` stays text.
    private func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\n", "\r": result += " "
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!", "(", ")": result += "\\" + String(character)
            default: result.append(character)
            }
        }
        return result
    }

    /// Free text that may hold emails: each email (masked unless `showEmails`) becomes a code span, which GitHub
    /// neither links nor treats as an @mention; the rest is escaped.
    private func prose(_ text: String) -> String {
        EmailMask.segments(of: text).map { segment in
            segment.isEmail ? "`\(showEmails ? segment.text : EmailMask.mask(segment.text))`" : escaped(segment.text)
        }.joined()
    }

    private func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: " ")
    }

    private func longestBacktickRun(in line: String) -> Int {
        var longest = 0
        var run = 0
        for character in line.utf8 {
            run = character == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    private func length(_ text: String) -> Int { text.utf16.count }
}
