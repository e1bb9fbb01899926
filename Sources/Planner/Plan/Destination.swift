/// The live system a change is sent to: the tenant's WorkOS organization, the Thinkific site, or one of the
/// workspace's SCIM apps by connection name. Plans, journals and views spell it as that connection name (`workos`,
/// `thinkific`, `insights`): the workspace keeps `workos` and `thinkific` for those two, so the name is unambiguous.
///
/// Ordered as DESIGN §7 orders a plan: WorkOS, Thinkific, then SCIM apps by name.
public enum Destination: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    case workos
    case thinkific
    case scim(app: String)

    /// The destination a connection name names.
    public init(name: String) {
        switch name {
        case "workos": self = .workos
        case "thinkific": self = .thinkific
        default: self = .scim(app: name)
        }
    }

    /// The connection name.
    public var name: String {
        switch self {
        case .workos: "workos"
        case .thinkific: "thinkific"
        case .scim(let app): app
        }
    }

    public var description: String { name }

    private var rank: Int {
        switch self {
        case .workos: 0
        case .thinkific: 1
        case .scim: 2
        }
    }

    public static func < (lhs: Destination, rhs: Destination) -> Bool {
        (lhs.rank, lhs.name) < (rhs.rank, rhs.name)
    }

    public init(from decoder: any Decoder) throws {
        self.init(name: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

extension Action {
    /// Where the action is carried out: the one home of that fact, so a change's destination cannot disagree with
    /// its action.
    public var destination: Destination {
        switch self {
        case .createOrganization, .updateOrganization:
            .workos
        case .createThinkificUser, .updateThinkificUser, .createThinkificGroup, .addToThinkificGroups, .enroll,
            .updateEnrollment, .expireEnrollment:
            .thinkific
        case .createSCIMUser(let app, _, _, _, _), .updateSCIMUser(let app, _, _, _, _, _, _),
            .deactivateSCIMUser(let app, _, _), .deleteSCIMUser(let app, _, _), .createSCIMGroup(let app, _),
            .addSCIMMember(let app, _, _, _, _), .removeSCIMMember(let app, _, _, _, _):
            .scim(app: app)
        }
    }
}
