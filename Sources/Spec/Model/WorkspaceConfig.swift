import Foundation

/// `stoicprov.yaml`: connections to the live systems and workspace-wide defaults.
public struct WorkspaceConfig: Sendable, Hashable {
    /// The spec format version; always 1 in a validated config.
    public var version: Int
    public var connections: Connections
    public var defaults: Defaults
    /// `review`: how plans show people in pull-request comments.
    public var review = ReviewSettings()
    /// The path of `stoicprov.yaml` as diagnostics name it.
    public var file: String

    public init(version: Int = 1, connections: Connections, defaults: Defaults = Defaults(), file: String) {
        self.version = version
        self.connections = connections
        self.defaults = defaults
        self.file = file
    }
}

/// The live systems a workspace talks to. WorkOS and Thinkific appear at most once; SCIM apps by name.
public struct Connections: Sendable, Hashable {
    public var workos: WorkOSConnection?
    public var thinkific: ThinkificConnection?
    /// SCIM service providers sorted by name.
    public var scim: [SCIMConnection]

    public init(workos: WorkOSConnection? = nil, thinkific: ThinkificConnection? = nil, scim: [SCIMConnection] = []) {
        self.workos = workos
        self.thinkific = thinkific
        self.scim = scim.sorted { $0.name < $1.name }
    }

    public func scim(named name: String) -> SCIMConnection? {
        scim.first { $0.name == name }
    }

    /// Every connection name a tenant's access rule may grant through (`thinkific` and the SCIM names).
    public var destinationNames: [String] {
        (thinkific == nil ? [] : ["thinkific"]) + scim.map(\.name)
    }
}

/// `connections.workos`.
public struct WorkOSConnection: Sendable, Hashable {
    public static let defaultBaseURL = URL(literal: "https://api.workos.com")

    public var apiKey: SecretRef
    public var baseURL: URL
    public var requestsPerMinute: Int?
    @NotCompared public var location: SourceLocation

    public init(apiKey: SecretRef, baseURL: URL = defaultBaseURL, requestsPerMinute: Int? = nil, location: SourceLocation) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.requestsPerMinute = requestsPerMinute
        self.location = location
    }
}

/// `connections.thinkific`: one Thinkific site. The subdomain travels in `X-Auth-Subdomain`, never in the host.
public struct ThinkificConnection: Sendable, Hashable {
    public static let defaultBaseURL = URL(literal: "https://api.thinkific.com/api/public/v1")

    public var subdomain: String
    public var apiKey: SecretRef
    public var baseURL: URL
    public var requestsPerMinute: Int?
    @NotCompared public var location: SourceLocation

    public init(
        subdomain: String, apiKey: SecretRef, baseURL: URL = defaultBaseURL, requestsPerMinute: Int? = nil,
        location: SourceLocation
    ) {
        self.subdomain = subdomain
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.requestsPerMinute = requestsPerMinute
        self.location = location
    }
}

/// `connections.<name>` with a `scim:` base URL: one of Stoic's SCIM apps (Conscious Insights, the dashboard).
public struct SCIMConnection: Sendable, Hashable {
    public var name: String
    /// The SCIM base URL (`…/scim/v2`); resources live at `Users` and `Groups` below it.
    public var baseURL: URL
    public var token: SecretRef
    public var requestsPerMinute: Int?
    /// Which filters the app answers truthfully (`filter:`; docs/spec.md "SCIM apps").
    public var filter: SCIMFilterSupport = .auto
    /// Whether the app lets a user's `userName` change (`user_name: immutable` says it does not).
    public var userNameIsMutable = true
    @NotCompared public var location: SourceLocation

    public init(name: String, baseURL: URL, token: SecretRef, requestsPerMinute: Int? = nil, location: SourceLocation) {
        self.name = name
        self.baseURL = baseURL
        self.token = token
        self.requestsPerMinute = requestsPerMinute
        self.location = location
    }
}

/// The filters a SCIM app supports, as its connection says (`filter:`). RFC 7644 makes filtering optional and
/// every provider that filters implements `eq`; anything more is declared, never assumed.
public enum SCIMFilterSupport: String, CaseIterable, Sendable, Hashable {
    /// Read `ServiceProviderConfig`: `filter.supported` gives `eq`, otherwise `none`. The default.
    case auto
    /// `eq` and `ew`: a tenant's users are read with `userName ew "@domain"` per domain.
    case ew
    /// `eq` only: lookups by `userName eq`/`displayName eq`; a tenant's users come from the full listing.
    case eq
    /// No filters: every read is a listing, matched locally.
    case none
}

/// Where a secret comes from. The spec only ever holds a reference; the value is read when a command needs it.
public enum SecretRef: Sendable, Hashable, CustomStringConvertible {
    /// An environment variable (`env:WORKOS_API_KEY`).
    case env(String)
    /// A file, relative to the workspace directory (`file:secrets/dashboard.token`).
    case file(String)

    /// The reference as written in the spec (never the secret itself), safe to print.
    public var description: String {
        switch self {
        case .env(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }
}

/// `review` in `stoicprov.yaml`: how the pull-request comment shows people (docs/security.md, PR-comment safety).
public struct ReviewSettings: Sendable, Hashable {
    public var emails: EmailDisplay
    /// The key of the pseudonym tags (`#3f2c`); without it, one is derived from the connections' credentials.
    public var pseudonymKey: SecretRef?

    public init(emails: EmailDisplay = .masked, pseudonymKey: SecretRef? = nil) {
        self.emails = emails
        self.pseudonymKey = pseudonymKey
    }
}

/// How the pull-request comment shows a person (`review.emails`; `--show-emails` is `full`).
public enum EmailDisplay: String, Codable, Hashable, Sendable, CaseIterable {
    /// `Ana G. · a…@pg.com #3f2c`: first name, last initial, masked address and pseudonym tag. The default.
    case masked
    /// `Ana Garcia · a…@pg.com #3f2c`: the full name, the address still masked.
    case named
    /// `Ana Garcia · ana.garcia@pg.com`: everything, for repositories only the people concerned may read.
    case full
}

/// What losing access means (DESIGN §4).
public enum RemovalPolicy: String, Sendable, Hashable, CaseIterable {
    /// Thinkific enrollments expire; SCIM users are deactivated. The default.
    case expire
    /// As `expire`; named for SCIM-first tenants where deactivation is the point.
    case deactivate
    /// Access stays; the plan reports who would have lost it.
    case keep
    /// SCIM users are deleted (only with an explicit apply flag); Thinkific users are still never deleted.
    case delete
}

/// `defaults` in `stoicprov.yaml`.
public struct Defaults: Sendable, Hashable {
    public var removal: RemovalPolicy
    public var maxRemovals: RemovalLimit

    public init(removal: RemovalPolicy = .expire, maxRemovals: RemovalLimit = .percent(10)) {
        self.removal = removal
        self.maxRemovals = maxRemovals
    }
}

/// The mass-removal guard: `10%` of a tenant's provisioned people, or an absolute count.
public enum RemovalLimit: Sendable, Hashable, CustomStringConvertible {
    /// 0–100.
    case percent(Double)
    case count(Int)

    /// The most removals allowed out of `provisioned` people: the count, or the percentage rounded down. The one
    /// place the guard's limit is computed; the plan records it and trips above it.
    public func threshold(of provisioned: Int) -> Int {
        switch self {
        case .count(let limit): limit
        case .percent(let percent): Int((Double(provisioned) * percent / 100).rounded(.down))
        }
    }

    public var description: String {
        switch self {
        case .count(let count): String(count)
        case .percent(let percent):
            percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
        }
    }
}
