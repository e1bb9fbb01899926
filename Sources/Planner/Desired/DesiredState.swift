import Spec

/// Where an entitlement comes from, kept for the reasons a reviewer reads.
enum GrantSource: Hashable, Comparable, Sendable {
    /// A mapped IdP group the person is in.
    case idpGroup(String)
    /// A roster file (its file name) that lists the person.
    case roster(String)
    /// A sign-in through the tenant's SSO connection on this day (`YYYY-MM-DD`; empty: known only from the record).
    case signIn(String)

    /// "joined SG-Stoic-Learners", "listed in pg-in-person.csv", "signed in via SSO on 2026-11-30".
    var reason: String {
        switch self {
        case .idpGroup(let group): "joined \(group)"
        case .roster(let file): "listed in \(file)"
        case .signIn(let day):
            day.isEmpty ? "signed in via SSO (recorded on the Thinkific user)" : "signed in via SSO on \(day)"
        }
    }

    var isSignIn: Bool {
        if case .signIn = self { return true }
        return false
    }
}

/// The sources of one entitlement, sorted, IdP groups first.
typealias Sources = Set<GrantSource>

extension Sources {
    /// The reason of the first source in a stable order.
    var reason: String { self.min()?.reason ?? "in the workspace" }
}

/// One person who should have access, with everything they are entitled to and why.
struct DesiredPerson: Sendable {
    /// Lower-cased.
    var email: String
    /// The directory's stable id, when the person comes from the directory.
    var idpID: String?
    var firstName: String
    var lastName: String
    /// Course slug → sources.
    var courses: [String: Sources] = [:]
    /// Thinkific group name → sources.
    var thinkificGroups: [String: Sources] = [:]
    /// SCIM app → sources (a rule granting anything through the app makes the person a user of it).
    var scimApps: [String: Sources] = [:]
    /// SCIM app → group name → sources.
    var scimGroups: [String: [String: Sources]] = [:]

    var hasThinkific: Bool { !courses.isEmpty || !thinkificGroups.isEmpty }

    /// Whether the person is entitled to anything at all (counts against seats).
    var isEntitled: Bool { hasThinkific || !scimApps.isEmpty }

    /// Every source of any entitlement, for reasons that concern the person as a whole.
    var allSources: Sources {
        var sources = Sources()
        for value in courses.values { sources.formUnion(value) }
        for value in thinkificGroups.values { sources.formUnion(value) }
        for value in scimApps.values { sources.formUnion(value) }
        return sources
    }

    /// Whether some Thinkific entitlement comes from a sign-in (the Thinkific user then carries the record).
    var signInSource: GrantSource? { thinkificSources.filter(\.isSignIn).min() }

    var thinkificSources: Sources {
        var sources = Sources()
        for value in courses.values { sources.formUnion(value) }
        for value in thinkificGroups.values { sources.formUnion(value) }
        return sources
    }

    mutating func grant(_ rule: AccessRule, from source: GrantSource) {
        if let thinkific = rule.thinkific {
            for course in thinkific.courses { courses[course, default: []].insert(source) }
            for group in thinkific.groups { thinkificGroups[group, default: []].insert(source) }
        }
        for grant in rule.scim {
            scimApps[grant.connection, default: []].insert(source)
            for group in grant.groups { scimGroups[grant.connection, default: [:]][group, default: []].insert(source) }
        }
    }
}

/// Who is in and what they get (DESIGN §4): active directory people in at least one mapped IdP group, plus roster
/// rows; entitlements are the union over the rules that apply. People are merged by lower-cased email.
///
/// IdP group names are compared case-sensitively, as the IdPs and WorkOS report them: `sg-stoic-learners` in a
/// tenant file does not match a directory group `SG-Stoic-Learners` (the observer reports such a group as missing).
struct DesiredState: Sendable {
    /// By lower-cased email.
    var people: [String: DesiredPerson] = [:]
    /// Directory people with an email, active or not, by lower-cased email (for removal reasons).
    var directoryByEmail: [String: DirectoryPerson] = [:]
    /// Directory people with an email, active or not, by directory id.
    var directoryByIdpID: [String: DirectoryPerson] = [:]

    /// Nobody.
    init() {}

    /// `signIns` grant the tenant's sign-in rules while the programme runs (`now` up to `program.ends`, included).
    init(tenant: Tenant, directoryPeople: [DirectoryPerson], signIns: [String: SignIn] = [:], now: Instant? = nil) {
        var rulesByGroup: [String: [AccessRule]] = [:]
        for rule in tenant.access {
            for group in rule.idpGroups { rulesByGroup[group, default: []].append(rule) }
        }
        for person in directoryPeople {
            guard let rawEmail = person.email, !rawEmail.isEmpty else { continue }
            let email = rawEmail.lowercased()
            directoryByEmail[email] = person
            directoryByIdpID[person.idpID] = person
            guard person.isActive else { continue }
            for group in person.groups {
                for rule in rulesByGroup[group] ?? [] {
                    people[email, default: Self.person(email, person)].grant(rule, from: .idpGroup(group))
                }
            }
        }
        for roster in tenant.rosters {
            guard let rule = tenant.rule(named: roster.access) else { continue }
            let file = String(roster.file.split(separator: "/").last ?? Substring(roster.file))
            for entry in roster.entries {
                var person =
                    people[entry.email]
                    ?? DesiredPerson(email: entry.email, idpID: nil, firstName: entry.firstName, lastName: entry.lastName)
                person.grant(rule, from: .roster(file))
                people[entry.email] = person
            }
        }
        let rules = tenant.signInRules
        guard !rules.isEmpty, now.map({ $0 <= tenant.program.endInstant }) ?? true else { return }
        for (email, signIn) in signIns {
            var person =
                people[email]
                ?? DesiredPerson(email: email, idpID: nil, firstName: signIn.firstName, lastName: signIn.lastName)
            for rule in rules { person.grant(rule, from: .signIn(signIn.at?.day.description ?? "")) }
            people[email] = person
        }
    }

    private static func person(_ email: String, _ person: DirectoryPerson) -> DesiredPerson {
        DesiredPerson(
            email: email, idpID: person.idpID, firstName: person.firstName ?? "", lastName: person.lastName ?? "")
    }

    /// Emails in ascending order.
    var sortedEmails: [String] { people.keys.sorted() }

    /// Distinct people entitled to anything: the seat count.
    var entitledCount: Int { people.values.reduce(0) { $0 + ($1.isEntitled ? 1 : 0) } }
}
