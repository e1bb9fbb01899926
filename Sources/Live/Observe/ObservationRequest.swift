import Foundation

/// What to read for one tenant, in plain values; Operations derives it from the tenant's spec
/// (`ObservationRequest(tenant:)`).
public struct ObservationRequest: Sendable, Hashable {
    /// The tenant id (also the WorkOS organization's `external_id`, unless `workos` says otherwise).
    public var tenant: String
    /// Email domains of the tenant (`pg.com`).
    public var domains: [String]
    /// Emails listed in the tenant's rosters.
    public var rosterEmails: [String]
    public var thinkific: ThinkificScope?
    public var workos: WorkOSScope?
    public var scim: [SCIMScope]
    /// Set when the tenant grants on SSO sign-in: read its sign-ins and their record.
    public var signIns: SignInScope?

    public init(
        tenant: String, domains: [String], rosterEmails: [String] = [], thinkific: ThinkificScope? = nil,
        workos: WorkOSScope? = nil, scim: [SCIMScope] = [], signIns: SignInScope? = nil
    ) {
        self.signIns = signIns
        self.tenant = tenant
        self.domains = domains
        self.rosterEmails = rosterEmails
        self.thinkific = thinkific
        self.workos = workos
        self.scim = scim
    }
}

/// The Thinkific courses (by slug) and groups (by name) the tenant's rules manage.
public struct ThinkificScope: Sendable, Hashable {
    public var courseSlugs: [String]
    public var groupNames: [String]

    public init(courseSlugs: [String], groupNames: [String]) {
        self.courseSlugs = courseSlugs
        self.groupNames = groupNames
    }
}

/// The WorkOS organization (by external id) and, when the tenant's people come from Directory Sync, the IdP groups
/// its rules map.
public struct WorkOSScope: Sendable, Hashable {
    public var organizationExternalID: String
    /// Whether to read directory users (`directory: workos`).
    public var readsDirectory: Bool
    public var idpGroups: [String]

    public init(organizationExternalID: String, readsDirectory: Bool, idpGroups: [String]) {
        self.organizationExternalID = organizationExternalID
        self.readsDirectory = readsDirectory
        self.idpGroups = idpGroups
    }
}

/// What to read of a tenant that grants on SSO sign-in: the `authentication.sso_succeeded` events of its
/// organization still within WorkOS's retention, and the Thinkific users that carry its sign-in record.
public struct SignInScope: Sendable, Hashable {
    /// The `external_source` of the tenant's sign-in grantees' Thinkific users (`SignIn.marker(tenant:)`).
    public var marker: String
    /// Whether to read the sign-in events (`false`: the caller brings them, or only the record counts).
    public var readsEvents: Bool
    /// Read only the sign-ins from this instant on (`nil`: every one the events API still keeps).
    public var since: Date?
    /// Emails of sign-ins the caller knows of: they join the tenant's people for the Thinkific reads.
    public var known: [String]

    public init(marker: String, readsEvents: Bool = true, since: Date? = nil, known: [String] = []) {
        self.marker = marker
        self.readsEvents = readsEvents
        self.since = since
        self.known = known
    }
}

/// One SCIM app (by connection name) and the groups the tenant's rules name in it.
public struct SCIMScope: Sendable, Hashable {
    public var app: String
    public var groupNames: [String]

    public init(app: String, groupNames: [String]) {
        self.app = app
        self.groupNames = groupNames
    }
}

/// How the users of a tenant were found on a Thinkific site.
public enum ThinkificUserRoute: Sendable, Hashable, CustomStringConvertible {
    /// Every candidate was already seen in an enrollment or group listing.
    case alreadyKnown
    /// One `query[email]` lookup per remaining candidate.
    case lookups(Int)
    /// The site's whole user listing, in this many pages.
    case listing(pages: Int)

    public var description: String {
        switch self {
        case .alreadyKnown: "no user reads needed"
        case .lookups(let count): "\(count) email lookup\(count == 1 ? "" : "s")"
        case .listing(let pages): "full user listing (\(pages) page\(pages == 1 ? "" : "s"))"
        }
    }

    /// The cheaper way to find `unknown` candidates when the first page of the site's users (already read) left
    /// `remainingCandidates` unresolved and the listing has `totalPages` pages: lookups cost one request each,
    /// the rest of the listing `totalPages - 1`. Ties go to the listing, which also reveals users outside the roster.
    public static func choose(remainingCandidates: Int, totalPages: Int) -> ThinkificUserRoute {
        let listingCost = max(0, totalPages - 1)
        return remainingCandidates < listingCost ? .lookups(remainingCandidates) : .listing(pages: max(1, totalPages))
    }
}
