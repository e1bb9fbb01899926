/// One client: `tenants/<id>.yaml` with its rosters read.
public struct Tenant: Sendable, Hashable {
    /// Stable id: the file name, the WorkOS organization's `external_id`, the lock name.
    public var id: String
    public var name: String
    /// Lower-cased, in the order written.
    public var domains: [String]
    public var sso: SSOProvider
    public var directory: DirectorySource
    /// Licensed seats: a plan that would entitle more people is refused.
    public var seats: Int
    public var program: Program
    /// This tenant's override of `defaults.removal`; see `Workspace.removal(for:)`.
    public var removal: RemovalPolicy?
    /// Destinations (`thinkific`, a SCIM connection name) whose existing objects the tenant adopted (`adopt:` with
    /// `existing: true`): stoicprov may take them away although it did not provision them (docs/spec.md, Ownership).
    public var adopted: Set<String>
    /// Access rules sorted by name.
    public var access: [AccessRule]
    public var rosters: [Roster]
    /// The tenant file as diagnostics name it (`examples/tenants/pg.yaml`).
    public var file: String
    /// Where later stages point for tenant-wide findings.
    @NotCompared public var locations: Locations

    public struct Locations: Sendable {
        /// The `tenant:` value.
        public var tenant: SourceLocation
        /// The `seats:` value (a plan over the seat count points here).
        public var seats: SourceLocation
        /// The `program:` value.
        public var program: SourceLocation

        public init(tenant: SourceLocation, seats: SourceLocation, program: SourceLocation) {
            self.tenant = tenant
            self.seats = seats
            self.program = program
        }
    }

    public init(
        id: String, name: String, domains: [String], sso: SSOProvider, directory: DirectorySource, seats: Int,
        program: Program, removal: RemovalPolicy? = nil, adopted: Set<String> = [], access: [AccessRule], rosters: [Roster] = [],
        file: String, locations: Locations
    ) {
        self.id = id
        self.name = name
        self.domains = domains.map { $0.lowercased() }
        self.sso = sso
        self.directory = directory
        self.seats = seats
        self.program = program
        self.removal = removal
        self.adopted = adopted
        self.access = access.sorted { $0.name < $1.name }
        self.rosters = rosters
        self.file = file
        self.locations = locations
    }

    public func rule(named name: String) -> AccessRule? {
        access.first { $0.name == name }
    }

    /// Whether `email`'s domain is one of this tenant's domains (case-insensitive; subdomains do not count).
    public func owns(email: String) -> Bool {
        guard let at = email.lastIndex(of: "@") else { return false }
        return domains.contains(email[email.index(after: at)...].lowercased())
    }

    /// Every roster row of every roster, in file order.
    public var rosterEntries: [RosterEntry] { rosters.flatMap(\.entries) }

    /// Distinct lower-cased emails listed in this tenant's rosters.
    public var rosterEmails: Set<String> { Set(rosterEntries.map(\.email)) }

    /// Every IdP group mapped by an access rule, sorted.
    public var idpGroups: [String] { Array(Set(access.flatMap(\.idpGroups))).sorted() }

    /// The access rules granted to everyone who signs in through the tenant's SSO connection (`sso_sign_in: true`).
    public var signInRules: [AccessRule] { access.filter(\.ssoSignIn) }

    /// Every Thinkific course slug an access rule grants, sorted.
    public var courses: [String] { Array(Set(access.flatMap { $0.thinkific?.courses ?? [] })).sorted() }
}

/// The identity provider a tenant signs in through (`sso.provider`).
public enum SSOProvider: String, Sendable, Hashable, CaseIterable {
    case okta, entra, google, pingfederate
    case genericSAML = "generic-saml"
    case none
}

extension SSOProvider {
    /// The WorkOS connection types that satisfy this provider (`okta` → `OktaSAML` or `OktaOIDC`); empty for `none`.
    public var workosConnectionTypes: [String] {
        switch self {
        case .pingfederate: ["PingFederateSAML"]
        case .okta: ["OktaSAML", "OktaOIDC"]
        case .entra: ["AzureSAML", "EntraIdOIDC"]
        case .google: ["GoogleSAML", "GoogleOIDC", "GoogleOAuth"]
        case .genericSAML: ["GenericSAML"]
        case .none: []
        }
    }

    /// The provider a WorkOS connection type satisfies, if any.
    public init?(workosConnectionType type: String) {
        guard let provider = SSOProvider.allCases.first(where: { $0.workosConnectionTypes.contains(type) }) else {
            return nil
        }
        self = provider
    }
}

/// Where a tenant's people come from besides rosters (`directory`).
public enum DirectorySource: String, Sendable, Hashable, CaseIterable {
    /// WorkOS Directory Sync: members of mapped IdP groups are in.
    case workos
    /// Rosters only.
    case none
}

/// `program`: the programme's dates, which become enrollment activation and expiry.
public struct Program: Sendable, Hashable {
    public var starts: CalendarDate
    /// On or after `starts`.
    public var ends: CalendarDate

    public init(starts: CalendarDate, ends: CalendarDate) {
        self.starts = starts
        self.ends = ends
    }
}

/// `access.<name>`: who gets what. People in any of `idpGroups` (or on a roster naming this rule, or — with
/// `ssoSignIn` — everyone who signs in through the tenant's SSO connection) get every grant.
public struct AccessRule: Sendable, Hashable {
    public var name: String
    public var idpGroups: [String]
    /// `sso_sign_in: true`: everyone who signs in through the tenant's SSO connection gets this rule.
    public var ssoSignIn: Bool
    public var thinkific: ThinkificGrant?
    /// Grants through SCIM connections, sorted by connection name.
    public var scim: [SCIMGrant]
    /// The rule's key in the tenant file.
    @NotCompared public var location: SourceLocation

    public init(
        name: String, idpGroups: [String] = [], ssoSignIn: Bool = false, thinkific: ThinkificGrant? = nil,
        scim: [SCIMGrant] = [], location: SourceLocation
    ) {
        self.name = name
        self.idpGroups = idpGroups
        self.ssoSignIn = ssoSignIn
        self.thinkific = thinkific
        self.scim = scim.sorted { $0.connection < $1.connection }
        self.location = location
    }

    /// The grant through the SCIM connection `name`, if any.
    public func scim(_ name: String) -> SCIMGrant? {
        scim.first { $0.connection == name }
    }

    /// Whether the rule grants anything at all.
    public var grantsSomething: Bool {
        !(thinkific?.courses.isEmpty ?? true) || !(thinkific?.groups.isEmpty ?? true)
            || scim.contains { !$0.groups.isEmpty }
    }
}

/// `thinkific:` in an access rule.
public struct ThinkificGrant: Sendable, Hashable {
    /// Course slugs, each once.
    public var courses: [String]
    /// Thinkific group names.
    public var groups: [String]

    public init(courses: [String] = [], groups: [String] = []) {
        self.courses = courses
        self.groups = groups
    }
}

/// `<scim connection>: { groups: [...] }` in an access rule.
public struct SCIMGrant: Sendable, Hashable {
    /// The SCIM connection's name in `stoicprov.yaml`.
    public var connection: String
    public var groups: [String]

    public init(connection: String, groups: [String]) {
        self.connection = connection
        self.groups = groups
    }
}

/// `rosters[]`: a CSV of people who get an access rule regardless of the directory.
public struct Roster: Sendable, Hashable {
    /// The path as written in the tenant file (relative to it).
    public var file: String
    /// The path as diagnostics name it (relative to the working directory, like the tenant file's).
    public var path: String
    /// The access rule every row gets.
    public var access: String
    public var entries: [RosterEntry]
    /// The roster's entry in the tenant file.
    @NotCompared public var location: SourceLocation

    public init(file: String, path: String, access: String, entries: [RosterEntry], location: SourceLocation) {
        self.file = file
        self.path = path
        self.access = access
        self.entries = entries
        self.location = location
    }
}

/// One person from a roster row.
public struct RosterEntry: Sendable, Hashable {
    /// Lower-cased.
    public var email: String
    public var firstName: String
    public var lastName: String
    /// The access rule the roster grants.
    public var access: String
    /// The CSV row (column 0: the whole line).
    @NotCompared public var location: SourceLocation

    public init(email: String, firstName: String, lastName: String, access: String, location: SourceLocation) {
        self.email = email.lowercased()
        self.firstName = firstName
        self.lastName = lastName
        self.access = access
        self.location = location
    }
}
