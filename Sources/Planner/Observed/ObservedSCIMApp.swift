/// What a plan read from one SCIM app for one tenant: the tenant's users (userName in its domains) and the groups
/// its rules name (absent groups are simply missing).
public struct ObservedSCIMApp: Sendable, Hashable, Codable {
    /// The connection name (`insights`, `dashboard`).
    public var app: String
    /// By ascending `userName` (lowercased compare).
    public var users: [SCIMUser]
    /// By ascending `displayName`.
    public var groups: [SCIMGroup]

    public init(app: String, users: [SCIMUser] = [], groups: [SCIMGroup] = []) {
        self.app = app
        self.users = users
        self.groups = groups
    }
}

public struct SCIMUser: Sendable, Hashable, Codable {
    public var id: String
    public var userName: String
    /// The directory `idp_id` the user's `externalId` carries (stoicprov's marker read off: `SCIMMarker`), or the
    /// `externalId` as the app stores it when it carries no marker; `nil` for a roster person's user.
    public var externalID: String?
    /// Whether the user's `externalId` carries stoicprov's marker: stoicprov created it (`Ownership`).
    public var hasStoicprovMarker: Bool
    public var active: Bool
    public var givenName: String?
    public var familyName: String?
    /// The primary (or first) email, when the resource has any.
    public var email: String?

    /// A user as the app answers it: `externalID` is the `externalId` attribute as stored (marker and all).
    public init(
        id: String, userName: String, externalID: String? = nil, active: Bool = true, givenName: String? = nil,
        familyName: String? = nil, email: String? = nil
    ) {
        let read = SCIMMarker.read(externalID)
        self.id = id
        self.userName = userName
        self.externalID = read.idpID
        self.hasStoicprovMarker = read.isMarked
        self.active = active
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
    }
}

public struct SCIMGroup: Sendable, Hashable, Codable {
    public var id: String
    public var displayName: String
    /// Member user ids, sorted.
    public var memberIDs: [String]

    public init(id: String, displayName: String, memberIDs: [String]) {
        self.id = id
        self.displayName = displayName
        self.memberIDs = memberIDs
    }
}

/// How stoicprov marks the SCIM users it creates: their `externalId` (RFC 7643 §3.1: "an identifier for the resource
/// as defined by the provisioning client" — stoicprov is that client) is `stoicprov:idp:<idp_id>` for a directory
/// person and `stoicprov:roster:<email>` for a roster person. Every app keeps `externalId` (it is a common attribute, not
/// an extension), it is unique per user, and it still names the directory id that recognises an email change.
public enum SCIMMarker {
    public static let prefix = "stoicprov:"
    static let directoryPrefix = prefix + "idp:"
    static let rosterPrefix = prefix + "roster:"

    /// The `externalId` stoicprov writes for a user of `idpID` (a directory person), or of `userName` (a roster person).
    public static func externalID(idpID: String?, userName: String) -> String {
        guard let idpID else { return rosterPrefix + userName.lowercased() }
        return directoryPrefix + idpID
    }

    /// What a stored `externalId` says: the directory id it names, and whether it carries the marker. An id without
    /// the marker is returned as it is: earlier versions of stoicprov wrote the bare `idp_id` (`Ownership`).
    public static func read(_ externalID: String?) -> (idpID: String?, isMarked: Bool) {
        guard let externalID, externalID.hasPrefix(prefix) else { return (externalID, false) }
        if externalID.hasPrefix(directoryPrefix) {
            let idpID = String(externalID.dropFirst(directoryPrefix.count))
            return (idpID.isEmpty ? nil : idpID, true)
        }
        return (nil, true)
    }
}
