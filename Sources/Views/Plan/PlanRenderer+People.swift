import Planner
import Spec

/// The plan read per person: for each person the changes (and the manual steps that take access away) concern,
/// what they gain, change and lose, by cause. Shared
/// by the text view (`plan --by person`) and the pull-request comment (removals, collapsed details).
struct PersonView {
    struct Part {
        var direction: AccessLine.Direction
        var cause: String
        var grants: [Grant]
    }

    struct Entry {
        /// Lower-cased email, the key of `AccessSummary.people`.
        var email: String
        /// Gains first, then updates, then losses; by cause within each.
        var parts: [Part]

        var losses: [Part] { parts.filter { $0.direction == .loss } }
    }

    /// By email.
    let entries: [Entry]

    init(_ tenant: TenantPlan) {
        struct Key: Hashable {
            var direction: AccessLine.Direction
            var cause: String
        }
        var byPerson: [String: [Key: Set<Grant>]] = [:]
        for change in tenant.changes {
            guard let access = AccessSummary.access(of: change.action) else { continue }
            let key = Key(direction: AccessSummary.direction(of: change), cause: AccessSummary.cause(of: change.reason))
            byPerson[access.person, default: [:]][key, default: []].formUnion(access.grants)
        }
        for loss in tenant.summary?.manualLosses ?? [] {
            byPerson[loss.email, default: [:]][Key(direction: .loss, cause: AccessSummary.cause(of: loss.cause)), default: []]
                .insert(loss.grant)
        }
        entries = byPerson.sorted { $0.key < $1.key }.map { email, grants in
            let parts = grants.map { Part(direction: $0.key.direction, cause: $0.key.cause, grants: $0.value.sorted()) }
            return Entry(
                email: email,
                parts: parts.sorted { ($0.direction, $0.cause) < ($1.direction, $1.cause) })
        }
    }

    var withLosses: [Entry] { entries.filter { !$0.losses.isEmpty } }
}

/// How people are named in a rendering: the summary's names and tags, shown as the display setting says.
struct PersonLabels {
    let people: [String: SummaryPerson]
    let display: EmailDisplay

    init(_ summary: AccessSummary, display: EmailDisplay) {
        people = Dictionary(summary.people.map { ($0.email, $0) }, uniquingKeysWith: { first, _ in first })
        self.display = display
    }

    /// `Ana G. · `a…@pg.com #3f2c``, `Ana Garcia · `a…@pg.com #3f2c``, or `Ana Garcia `ana@pg.com``: the name as
    /// Markdown text, the address and tag in a code span (GitHub neither links nor mentions inside one).
    func markdown(_ email: String) -> String {
        let person = people[email]
        let name = self.name(person)
        let handle: String
        switch display {
        case .full: handle = email
        case .masked, .named: handle = EmailMask.mask(email) + (person?.tag.map { " #\($0)" } ?? "")
        }
        return (name.isEmpty ? "" : Sanitizer.markdown(name) + " · ") + Sanitizer.codeSpan(handle)
    }

    /// For a terminal (the operator's own screen): the full name and address.
    func text(_ email: String) -> String {
        let person = people[email]
        let name = [person?.firstName ?? "", person?.lastName ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        return Sanitizer.line(name.isEmpty ? email : "\(name) <\(email)>")
    }

    private func name(_ person: SummaryPerson?) -> String {
        guard let person else { return "" }
        switch display {
        case .masked:
            let initial = person.lastName.first.map { " \($0)." } ?? ""
            return person.firstName.isEmpty ? (initial.isEmpty ? "" : String(initial.dropFirst())) : person.firstName + initial
        case .named, .full:
            return [person.firstName, person.lastName].filter { !$0.isEmpty }.joined(separator: " ")
        }
    }
}

// MARK: - Wording shared by text and Markdown

extension PlanRenderer {
    /// `thinkific account, conscious-leadership-foundations, group "P&G 2026"; insights account, group learners`,
    /// every name passed through `escape`.
    static func grantsText(_ grants: [Grant], escape: (String) -> String) -> String {
        var parts: [String] = []
        var current: (destination: Destination, items: [String])?
        for grant in grants {
            let item: String
            switch grant.kind {
            case .account: item = "account"
            case .course: item = escape(grant.name)
            case .group: item = "group \(escape("\"\(grant.name)\""))"
            }
            if current?.destination == grant.destination {
                current?.items.append(item)
            } else {
                if let current { parts.append("\(escape(current.destination.name)) \(current.items.joined(separator: ", "))") }
                current = (grant.destination, [item])
            }
        }
        if let current { parts.append("\(escape(current.destination.name)) \(current.items.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }

    /// `+1,155 joined SG-Stoic-Learners → learners: thinkific …`, `−3 left SG-Stoic-Managers → managers: lose …`.
    static func accessLineText(_ line: AccessLine, escape: (String) -> String) -> String {
        let sign: String
        let verb: String
        switch line.direction {
        case .gain: (sign, verb) = ("+", "")
        case .update: (sign, verb) = ("~", "")
        case .loss: (sign, verb) = ("−", "lose ")
        }
        let rules = line.rules.isEmpty ? "" : " → " + line.rules.map(escape).joined(separator: ", ")
        return "\(sign)\(grouped(line.people)) \(escape(line.cause))\(rules): \(verb)\(grantsText(line.grants, escape: escape))"
    }

    /// A person's parts: `+ thinkific account, … (joined SG-Stoic-Learners); − insights group managers (left …)`.
    static func partsText(_ parts: [PersonView.Part], escape: (String) -> String) -> String {
        parts.map { part in
            let sign = part.direction == .gain ? "+" : part.direction == .update ? "~" : "−"
            return "\(sign) \(grantsText(part.grants, escape: escape)) (\(escape(part.cause)))"
        }.joined(separator: "; ")
    }

    /// The summary's facts before its lines: seats, programme, time to apply, objects.
    static func summaryFacts(_ summary: AccessSummary, escape: (String) -> String) -> [String] {
        let seats = summary.seats
        var facts = [
            "Seats: \(grouped(seats.before)) → \(grouped(seats.after)) of \(grouped(seats.licensed)) licensed"
                + (seats.after > seats.licensed ? " — exceeded" : "")
        ]
        if let program = summary.program { facts.append("Programme: \(escape(program.starts)) to \(escape(program.ends))") }
        if summary.estimatedSeconds > 0 {
            facts.append("Estimated time to apply: ~\(DurationText.estimate(summary.estimatedSeconds))")
        }
        for object in summary.objects {
            facts.append(
                "\(object.kind.symbol) \(escape(object.destination.name)): \(escape(object.description)) (\(escape(object.reason)))"
            )
        }
        return facts
    }
}
