import Live
import Planner

/// What one WorkOS event asks of the orchestrator.
public enum EventRoute: Sendable, Hashable {
    /// Re-plan these people of the tenant (targeted reads).
    case people(tenant: String, directoryUserIDs: [String], emails: [String])
    /// Re-plan the whole tenant (a directory linked or deleted, the organization deleted, a group renamed or deleted).
    case full(tenant: String)
    /// Read the tenant's organization, directories and groups again (a new group, an organization created or
    /// updated — often by an apply itself): nobody's access changes; drift of the organization's own settings is
    /// the scheduled full reconcile's to find.
    case refreshFrame(tenant: String)
    /// An organization no tenant names: counted and ignored.
    case unknownOrganization
    /// A sign-in through one of the tenant's SSO connections: plan that person with the sign-in, so the tenant's
    /// `sso_sign_in` rules grant them.
    case signIn(tenant: String, SignIn)
    /// A type the orchestrator does not act on (a sign-in without an email or a known connection).
    case notHandled

    public var tenant: String? {
        switch self {
        case .people(let tenant, _, _), .full(let tenant), .refreshFrame(let tenant), .signIn(let tenant, _): tenant
        case .unknownOrganization, .notHandled: nil
        }
    }
}

/// Maps events to tenants and people: an event names its organization (or only its directory), and each tenant's
/// organization and directories are known from its frame.
public struct EventRouter: Sendable {
    /// The event types read from `GET /events`.
    public static let types = [
        "dsync.activated", "dsync.deleted", "dsync.user.created", "dsync.user.updated", "dsync.user.deleted",
        "dsync.group.created", "dsync.group.updated", "dsync.group.deleted", "dsync.group.user_added",
        "dsync.group.user_removed", "organization.created", "organization.updated", "organization.deleted",
        "authentication.sso_succeeded",
    ]

    /// Organization id → tenant id.
    public var organizations: [String: String]
    /// Directory id → tenant id.
    public var directories: [String: String]
    /// Organization external id → tenant id (an organization the tenant's first apply just created).
    public var externalIDs: [String: String]
    /// SSO connection id → tenant id: a sign-in grants only through the tenant's own organization's connections.
    public var connections: [String: String]

    public init(
        organizations: [String: String] = [:], directories: [String: String] = [:], externalIDs: [String: String] = [:],
        connections: [String: String] = [:]
    ) {
        self.organizations = organizations
        self.directories = directories
        self.externalIDs = externalIDs
        self.connections = connections
    }

    /// The tenants' organizations and directories, from their frames (a tenant without an organization yet has none).
    public init(frames: [String: TenantFrame], externalIDs: [String: String] = [:]) {
        var organizations: [String: String] = [:]
        var directories: [String: String] = [:]
        var connections: [String: String] = [:]
        for (tenant, frame) in frames {
            guard let observed = frame.directory, let organization = observed.organization else { continue }
            organizations[organization.id] = tenant
            for directory in observed.directories { directories[directory.id] = tenant }
            for connection in observed.connections { connections[connection.id] = tenant }
        }
        self.init(
            organizations: organizations, directories: directories, externalIDs: externalIDs, connections: connections)
    }

    public func route(_ event: WorkOSEvent) -> EventRoute {
        if event.type == "authentication.sso_succeeded" { return signInRoute(event) }
        let tenant =
            event.organizationID.flatMap { organizations[$0] } ?? event.directoryID.flatMap { directories[$0] }
            ?? event.organizationExternalID.flatMap { externalIDs[$0] }
        guard let tenant else { return .unknownOrganization }
        switch event.type {
        case "dsync.user.created", "dsync.user.updated", "dsync.user.deleted", "dsync.group.user_added",
            "dsync.group.user_removed":
            let emails = [event.email, event.previousEmail].compactMap { $0 }
            guard event.directoryUserID != nil || !emails.isEmpty else { return .full(tenant: tenant) }
            return .people(tenant: tenant, directoryUserIDs: event.directoryUserID.map { [$0] } ?? [], emails: emails)
        case "dsync.group.created", "organization.created", "organization.updated": return .refreshFrame(tenant: tenant)
        default: return .full(tenant: tenant)
        }
    }

    /// A sign-in counts for the tenant whose organization it names, through one of that organization's connections.
    private func signInRoute(_ event: WorkOSEvent) -> EventRoute {
        guard let organization = event.organizationID, let tenant = organizations[organization] else {
            return .unknownOrganization
        }
        guard let email = event.email, email.contains("@"), let connection = event.connectionID,
            connections[connection] == tenant
        else { return .notHandled }
        return .signIn(tenant: tenant, SignIn(email: email, at: Instant(parsing: event.createdAt)))
    }
}
