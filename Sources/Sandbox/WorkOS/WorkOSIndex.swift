/// Lookups over `WorkOSState`, rebuilt whenever the state's arrays change shape. Positions are indices into the
/// state's arrays; every per-directory and per-group list is in creation (= id) order, so a cursor is found by
/// binary search and a page costs O(log n + page).
struct WorkOSIndex: Sendable {
    var organization: [String: Int] = [:]
    var organizationByExternalID: [String: Int] = [:]
    var ssoConnection: [String: Int] = [:]
    var directory: [String: Int] = [:]
    var group: [String: Int] = [:]
    var user: [String: Int] = [:]
    var usersByDirectory: [String: [Int]] = [:]
    var usersByGroup: [String: [Int]] = [:]
    var groupsByDirectory: [String: [Int]] = [:]
    var inactiveUsersByDirectory: [String: Int] = [:]

    init() {}

    init(_ state: WorkOSState) {
        for (position, organization) in state.organizations.enumerated() {
            self.organization[organization.id] = position
            if let externalID = organization.externalID { organizationByExternalID[externalID] = position }
        }
        for (position, connection) in state.connections.enumerated() { ssoConnection[connection.id] = position }
        for (position, directory) in state.directories.enumerated() { self.directory[directory.id] = position }
        for (position, group) in state.groups.enumerated() {
            self.group[group.id] = position
            groupsByDirectory[group.directoryID, default: []].append(position)
        }
        user.reserveCapacity(state.users.count)
        for (position, user) in state.users.enumerated() {
            self.user[user.id] = position
            usersByDirectory[user.directoryID, default: []].append(position)
            for groupID in user.groupIDs { usersByGroup[groupID, default: []].append(position) }
            if user.state != "active" { inactiveUsersByDirectory[user.directoryID, default: 0] += 1 }
        }
    }
}
