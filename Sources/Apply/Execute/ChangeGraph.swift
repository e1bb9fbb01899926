import Live
import Planner

/// The order a tenant's changes may run in: each change's prerequisites (its `dependsOn`, plus the change that
/// creates an object it names without an id). Changes that are ready together run by `Action.stage` — the ranking
/// the plan is ordered by — then in plan order.
struct ChangeGraph {
    let changes: [Change]
    /// Indices of the changes each change waits for.
    let prerequisites: [Set<Int>]
    /// Indices of the changes waiting for each change.
    let dependents: [[Int]]

    init(_ changes: [Change]) {
        self.changes = changes
        var index: [String: Int] = [:]
        var provider: [String: Int] = [:]
        for (position, change) in changes.enumerated() {
            index[change.id] = position
            if let key = Self.provides(change.action) { provider[key] = position }
        }
        var prerequisites = [Set<Int>](repeating: [], count: changes.count)
        for (position, change) in changes.enumerated() {
            for id in change.dependsOn {
                if let other = index[id], other != position { prerequisites[position].insert(other) }
            }
            for key in Self.needs(change.action) {
                if let other = provider[key], other != position { prerequisites[position].insert(other) }
            }
        }
        var dependents = [[Int]](repeating: [], count: changes.count)
        for (position, waits) in prerequisites.enumerated() {
            for other in waits.sorted() { dependents[other].append(position) }
        }
        self.prerequisites = prerequisites
        self.dependents = dependents
    }

    /// The object a change brings into being, as a key other changes can name.
    static func provides(_ action: Action) -> String? {
        switch action {
        case .createOrganization(let externalID, _, _): ObjectKey.organization(externalID)
        case .createThinkificUser(let email, _, _): ObjectKey.thinkificUser(email)
        case .createThinkificGroup(let name): ObjectKey.thinkificGroup(name)
        case .createSCIMUser(let app, let userName, _, _, _): ObjectKey.scimUser(app, userName)
        case .createSCIMGroup(let app, let displayName): ObjectKey.scimGroup(app, displayName)
        default: nil
        }
    }

    /// The objects a change refers to without an id.
    static func needs(_ action: Action) -> [String] {
        switch action {
        case .addToThinkificGroups(let email, let userID, let groups):
            (userID == nil ? [ObjectKey.thinkificUser(email)] : []) + groups.map(ObjectKey.thinkificGroup)
        case .enroll(let email, let userID, _, _, _, _):
            userID == nil ? [ObjectKey.thinkificUser(email)] : []
        case .addSCIMMember(let app, let group, let groupID, let userName, let userID):
            (groupID == nil ? [ObjectKey.scimGroup(app, group)] : [])
                + (userID == nil ? [ObjectKey.scimUser(app, userName)] : [])
        default: []
        }
    }

    /// Marks an object key whose create adopted an object made by someone else.
    static func adoptedKey(_ key: String) -> String { "adopted/" + key }
}

extension Action {
    /// Who or what the action is about, for reports and the journal.
    var subject: String {
        switch self {
        case .createOrganization(let externalID, _, _): externalID
        case .updateOrganization(let id, _, _): id
        case .createThinkificUser(let email, _, _), .updateThinkificUser(_, let email, _, _),
            .recordThinkificSignIn(let email, _, _):
            email
        case .createThinkificGroup(let name): name
        case .addToThinkificGroups(let email, _, let groups): "\(email) → \(groups.joined(separator: ", "))"
        case .enroll(let email, _, let slug, _, _, _), .updateEnrollment(let email, _, let slug, _, _, _),
            .expireEnrollment(let email, _, let slug, _):
            "\(email) in \(slug)"
        case .createSCIMUser(let app, let userName, _, _, _), .updateSCIMUser(let app, _, let userName, _, _, _, _, _),
            .deactivateSCIMUser(let app, _, let userName), .deleteSCIMUser(let app, _, let userName):
            "\(app): \(userName)"
        case .createSCIMGroup(let app, let displayName): "\(app): \(displayName)"
        case .addSCIMMember(let app, let group, _, let userName, _), .removeSCIMMember(let app, let group, _, let userName, _):
            "\(app): \(userName) in \(group)"
        }
    }
}
