import Apply
import Foundation
import Live
import Planner
import Spec

/// Drafts a tenant file from live state: the pure half of `stoicprov import --from-live`.
///
/// People are the Thinkific users of the tenant's domains with access now (an unexpired enrollment or a group
/// membership). Each distinct set of courses and groups becomes an access rule. With a directory, a rule maps the
/// directory groups whose active members all have exactly its set (so nobody in them would gain or lose anything);
/// everyone a mapped group does not explain goes on a roster. SCIM grants are not inferred: the import only writes
/// what it can reproduce, so that the first plan shows no changes.
public enum TenantImport {
    /// The answers the command line gives.
    public struct Options: Sendable, Hashable {
        public var tenant: String
        /// `--domain`: the client's email domains (the organization's own are added).
        public var domains: [String]
        /// `--idp`: overrides the provider inferred from the SSO connection.
        public var provider: SSOProvider?

        public init(tenant: String, domains: [String], provider: SSOProvider? = nil) {
            self.tenant = tenant
            self.domains = domains
            self.provider = provider
        }
    }

    /// What the draft says it inferred, and what a person must check, gathered stage by stage.
    struct Notes {
        var inferred: [String] = []
        var checks: [String] = []
    }

    /// The draft for `live`, judged at `now` (what counts as an unexpired enrollment). Each stage returns what the
    /// next needs: identity → people and their access → mapped IdP groups → rules → roster → programme and seats.
    public static func draft(_ live: LiveTenant, options: Options, now: Date = Date()) -> ImportedTenant {
        var notes = Notes()
        let identity = Self.identity(live, options: options, notes: &notes)
        let access = Self.access(live, now: now, notes: &notes)
        let mapped = identity.directory == .workos ? Self.mappedGroups(live, profiles: access.profiles) : [:]
        let (rules, ruleByProfile) = Self.rules(access.profiles, mapped: mapped)
        let rows = Self.roster(live, access: access, mapped: mapped, ruleByProfile: ruleByProfile, notes: &notes)
        let program = Self.program(access.unexpired, now: now, notes: &notes)
        let seats = roundedSeats(access.profiles.count)
        notes.inferred.append("seats \(seats): \(access.profiles.count) people have access now, rounded up")
        notes.checks.append("seats against the contract, and SCIM grants (Insights, dashboard): they are not inferred")

        return ImportedTenant(
            id: options.tenant, name: identity.name, domains: identity.domains, provider: identity.provider,
            directory: identity.directory, seats: seats, program: program, rules: rules, rosterRows: rows,
            inferred: notes.inferred, checks: notes.checks)
    }

    /// Name, domains, SSO provider and directory source.
    struct Identity {
        var name: String
        var domains: [String]
        var provider: SSOProvider
        var directory: DirectorySource
    }

    static func identity(_ live: LiveTenant, options: Options, notes: inout Notes) -> Identity {
        let organization = live.organization
        let name = organization?.name ?? TenantScaffold.displayName(for: options.tenant)
        var domains = organization?.domains.map { $0.domain.lowercased() } ?? []
        let extra = options.domains.map { $0.lowercased() }.filter { !domains.contains($0) }
        domains += extra
        if let organization {
            notes.inferred.append(
                "name and domains from the WorkOS organization \(organization.id) (external_id \(options.tenant))")
            if !extra.isEmpty {
                notes.checks.append(
                    "\(extra.joined(separator: ", ")) is not a domain of the organization yet: the first plan adds it")
            }
        } else {
            notes.checks.append("no WorkOS organization has the external_id \(options.tenant): the first plan creates it")
        }
        let provider = Self.inferredProvider(live, given: options.provider, notes: &notes)
        let directory: DirectorySource = live.directories.isEmpty ? .none : .workos
        notes.inferred.append(
            directory == .workos
                ? "directory: workos, since the organization has a directory (\(live.directories.map(\.type).joined(separator: ", ")))"
                : "directory: none, since the organization has no directory: everyone is on a roster")
        return Identity(name: name, domains: domains, provider: provider, directory: directory)
    }

    /// `--idp`, else the provider of the first (active first) SSO connection that names one, else none.
    static func inferredProvider(_ live: LiveTenant, given: SSOProvider?, notes: inout Notes) -> SSOProvider {
        let active = live.connections.filter { $0.state == "active" }
        let connection = (active + live.connections).first { Self.provider(forConnectionType: $0.connectionType) != nil }
        let provider = given ?? connection.flatMap { Self.provider(forConnectionType: $0.connectionType) } ?? .none
        if given != nil {
            notes.inferred.append("sso.provider \(provider.rawValue) from --idp")
        } else if let connection {
            notes.inferred.append(
                "sso.provider \(provider.rawValue) from the \(connection.state) connection \(connection.connectionType)")
        } else {
            notes.checks.append("no SSO connection to infer sso.provider from: set it (and configure SSO in the Admin Portal)")
        }
        return provider
    }

    /// People with access now (by lower-cased email), with their sets of courses and groups.
    struct Access {
        var profiles: [String: Profile]
        var userByEmail: [String: ThinkificUser]
        var unexpired: [ThinkificEnrollment]
    }

    static func access(_ live: LiveTenant, now: Date, notes: inout Notes) -> Access {
        let slugByCourse = Dictionary(uniqueKeysWithValues: live.courses.map { ($0.id, $0.slug) })
        var profiles: [String: Profile] = [:]
        var userByEmail: [String: ThinkificUser] = [:]
        let emailByID = Dictionary(live.users.map { ($0.id, $0.email.lowercased()) }, uniquingKeysWith: { first, _ in first })
        for user in live.users { userByEmail[user.email.lowercased()] = user }
        let unexpired = live.enrollments.filter { isUnexpired($0, now: now) }
        var slugless: Set<Int> = []
        for enrollment in unexpired {
            guard let slug = slugByCourse[enrollment.courseID] ?? nil else {
                slugless.insert(enrollment.courseID)
                continue
            }
            profiles[enrollment.userEmail.lowercased(), default: Profile()].courses.insert(slug)
        }
        for (group, ids) in live.groupMembers {
            for id in ids {
                guard let email = emailByID[id] else { continue }
                profiles[email, default: Profile()].groups.insert(group)
            }
        }
        profiles = profiles.filter { !$0.value.courses.isEmpty }
        if !slugless.isEmpty {
            notes.checks.append("enrollments in courses without a slug were left out (course ids \(slugless.sorted()))")
        }
        let skippedGroupOnly = live.groupMembers.values.reduce(into: Set<String>()) { result, ids in
            for id in ids { if let email = emailByID[id], profiles[email] == nil { result.insert(email) } }
        }
        if !skippedGroupOnly.isEmpty {
            notes.checks.append(
                "\(skippedGroupOnly.count) people are in Thinkific groups without an unexpired enrollment: left out")
        }
        return Access(profiles: profiles, userByEmail: userByEmail, unexpired: unexpired)
    }

    /// Directory groups whose active members all share exactly one set, by that set.
    static func mappedGroups(_ live: LiveTenant, profiles: [String: Profile]) -> [Profile: [String]] {
        var mapped: [Profile: [String]] = [:]
        for (group, members) in live.directoryGroups.sorted(by: { $0.key < $1.key }) where !members.isEmpty {
            let sets = Set(members.map { profiles[$0] })
            guard sets.count == 1, let only = sets.first, let profile = only else { continue }
            mapped[profile, default: []].append(group)
        }
        return mapped
    }

    /// One rule per set, named after its first IdP group or its courses.
    static func rules(
        _ profiles: [String: Profile], mapped: [Profile: [String]]
    ) -> (rules: [ImportedTenant.Rule], ruleByProfile: [Profile: String]) {
        var usedNames: Set<String> = []
        var ruleByProfile: [Profile: String] = [:]
        var rules: [ImportedTenant.Rule] = []
        for profile in Set(profiles.values).sorted() {
            let groups = mapped[profile] ?? []
            let base = ruleName(groups.first ?? profile.courses.sorted().joined(separator: "-"))
            var name = base
            var suffix = 2
            while !usedNames.insert(name).inserted {
                name = String(base.prefix(60)) + "-\(suffix)"
                suffix += 1
            }
            ruleByProfile[profile] = name
            let people = profiles.values.filter { $0 == profile }.count
            let source =
                groups.isEmpty
                ? "no directory group has exactly these members"
                : "the active members of \(groups.joined(separator: ", ")) all have exactly this"
            rules.append(
                ImportedTenant.Rule(
                    name: name, idpGroups: groups, courses: profile.courses.sorted(), groups: profile.groups.sorted(),
                    note: "\(people) \(people == 1 ? "person has" : "people have") these courses and groups now; \(source)."))
        }
        return (rules, ruleByProfile)
    }

    /// Everyone a mapped group does not explain goes on the roster.
    static func roster(
        _ live: LiveTenant, access: Access, mapped: [Profile: [String]], ruleByProfile: [Profile: String],
        notes: inout Notes
    ) -> [ImportedTenant.RosterRow] {
        let explained = Set(mapped.values.flatMap { $0 }.flatMap { live.directoryGroups[$0] ?? [] })
        var rows: [ImportedTenant.RosterRow] = []
        for (email, profile) in access.profiles.sorted(by: { $0.key < $1.key }) where !explained.contains(email) {
            guard let rule = ruleByProfile[profile] else { continue }
            let user = access.userByEmail[email]
            rows.append(
                ImportedTenant.RosterRow(
                    email: email, firstName: user?.firstName ?? "", lastName: user?.lastName ?? "", access: rule))
        }
        if !rows.isEmpty {
            notes.checks.append(
                "\(rows.count) people no directory group explains are on a roster: if they should come from the IdP, "
                    + "ask the client's IT for a group and map it instead")
        }
        return rows
    }

    /// The programme dates most enrollments carry, else placeholders after `now`.
    static func program(_ unexpired: [ThinkificEnrollment], now: Date, notes: inout Notes) -> Program {
        let starts = mostCommonDay(unexpired.compactMap(\.activatedAt))
        let ends = mostCommonDay(unexpired.compactMap(\.expiryDate))
        let fallback = TenantScaffold.placeholderProgram(after: Instant(now).day)
        var program = Program(starts: starts?.day ?? fallback.starts, ends: ends?.day ?? fallback.ends)
        if program.ends < program.starts { program.ends = program.starts }
        if let starts, let ends {
            notes.inferred.append(
                "program from the enrollments: \(starts.count) of \(unexpired.count) activated on \(starts.day), "
                    + "\(ends.count) expire on \(ends.day)")
        } else {
            notes.checks.append("the enrollments carry no activation or expiry date: the programme dates are placeholders")
        }
        let offDate = unexpired.filter { enrollment in
            guard let text = enrollment.expiryDate, let expiry = Instant(parsing: text) else { return true }
            return expiry != program.endInstant
        }.count
        if offDate > 0 {
            notes.checks.append(
                "\(offDate) enrollments do not expire at the end of \(program.ends) (UTC): the first plan updates them")
        }
        return program
    }

    // MARK: - Rules

    /// A person's access: the courses they are enrolled in (unexpired) and the Thinkific groups they are in.
    struct Profile: Hashable, Comparable {
        var courses: Set<String> = []
        var groups: Set<String> = []

        static func < (left: Profile, right: Profile) -> Bool {
            (left.courses.sorted().joined(separator: "\n"), left.groups.sorted().joined(separator: "\n"))
                < (right.courses.sorted().joined(separator: "\n"), right.groups.sorted().joined(separator: "\n"))
        }
    }

    /// An access rule name from free text: lower-case letters, digits and single hyphens, starting with a letter.
    static func ruleName(_ text: String) -> String {
        var name = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                name.unicodeScalars.append(scalar)
            } else if !name.isEmpty, !name.hasSuffix("-") {
                name += "-"
            }
        }
        while name.hasSuffix("-") { name.removeLast() }
        if let first = name.unicodeScalars.first, !("a"..."z").contains(first) { name = "rule-" + name }
        if name.count < 2 { name = "learners" }
        return String(name.prefix(56))
    }

    /// The `sso.provider` a WorkOS connection type satisfies.
    public static func provider(forConnectionType type: String) -> SSOProvider? {
        SSOProvider(workosConnectionType: type)
    }

    /// Licensed seats from a head count: the next 10 below 100, the next 50 below 1,000, the next 100 above.
    static func roundedSeats(_ people: Int) -> Int {
        let step = people < 100 ? 10 : people < 1000 ? 50 : 100
        return max(step, (people + step - 1) / step * step)
    }

    // MARK: - Dates

    static func isUnexpired(_ enrollment: ThinkificEnrollment, now: Date) -> Bool {
        guard !enrollment.isExpired else { return false }
        guard let text = enrollment.expiryDate, let expiry = Instant(parsing: text) else { return true }
        return expiry.date > now
    }

    /// The most common UTC day among ISO 8601 timestamps (the earliest on a tie), with how many fell on it.
    static func mostCommonDay(_ texts: [String]) -> (day: CalendarDate, count: Int)? {
        var counts: [CalendarDate: Int] = [:]
        for text in texts {
            guard let instant = Instant(parsing: text) else { continue }
            counts[instant.day, default: 0] += 1
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }
}
