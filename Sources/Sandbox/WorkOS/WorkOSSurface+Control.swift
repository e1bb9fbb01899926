import Foundation

/// The directory changes a real identity provider pushes, under `/_sandbox/workos/…` (no auth). `{directory}` is a
/// directory id, or an organization's id or external id (its first directory); `{user}` is a directory user id or
/// an email. Each change bumps `updated_at` and records the `dsync.*` events WorkOS would send.
extension WorkOSSurface {
    public func handleControl(_ request: HTTPRequest, path: String) -> HTTPResponse? {
        guard let (route, parameters) = WorkOSControlRoute.match(method: request.method, path: path) else { return nil }
        var response = store.withLock { store in
            do throws(WorkOSErrorResponse) {
                let now = clock()
                switch route {
                case .listDirectories: return store.controlDirectories()
                case .addUser:
                    return try store.addUser(to: try store.directory(parameters[0]), try Self.body(request), now: now)
                case .updateUser:
                    let directory = try store.directory(parameters[0])
                    return try store.updateUser(
                        try store.user(parameters[1], in: directory), try Self.body(request), now: now)
                case .removeUser:
                    let directory = try store.directory(parameters[0])
                    return store.removeUser(try store.user(parameters[1], in: directory), now: now)
                case .addGroup:
                    return try store.addGroup(to: try store.directory(parameters[0]), try Self.body(request), now: now)
                }
            } catch {
                return error.response
            }
        }
        response.headers.set("X-Request-ID", UUID().uuidString.lowercased())
        return response
    }
}

extension WorkOSStore {
    /// A directory by id, or the first directory of an organization given by id or external id.
    func directory(_ key: String) throws(WorkOSErrorResponse) -> Int {
        if let position = index.directory[key] { return position }
        let organization = index.organization[key] ?? index.organizationByExternalID[key]
        if let organization,
            let position = state.directories.firstIndex(where: {
                $0.organizationID == state.organizations[organization].id
            })
        {
            return position
        }
        throw .notFound("Directory", key)
    }

    /// A user of a directory by id or (case-insensitive) email.
    func user(_ key: String, in directory: Int) throws(WorkOSErrorResponse) -> Int {
        let directoryID = state.directories[directory].id
        if let position = index.user[key], state.users[position].directoryID == directoryID { return position }
        let email = key.lowercased()
        if let position = index.usersByDirectory[directoryID]?.first(where: { state.users[$0].email.lowercased() == email }) {
            return position
        }
        throw .notFound("Directory user", key)
    }

    func controlDirectories() -> HTTPResponse {
        let data = state.directories.map { directory -> [String: Any] in
            var object = state.json(directory, index: index)
            let organization = index.organization[directory.organizationID].map { state.organizations[$0] }
            object["organization_external_id"] = organization?.externalID ?? NSNull()
            return object
        }
        return JSONWriter.response(200, ["object": "list", "data": data] as [String: Any])
    }

    mutating func addUser(to position: Int, _ body: [String: Any], now: Date) throws(WorkOSErrorResponse) -> HTTPResponse {
        let directory = state.directories[position]
        let email = try newUserEmail(body)
        if !email.isEmpty, (try? user(email, in: position)) != nil {
            throw .conflict("\(email) is already in directory \(directory.id).")
        }
        let groupIDs = try groupIDs(body["groups"], in: directory, now: now)
        let state = try userState(body["state"]) ?? "active"
        let user = self.state.newUser(
            email: email, firstName: body["first_name"] as? String ?? "", lastName: body["last_name"] as? String ?? "",
            state: state, groupIDs: groupIDs, directoryID: directory.id, organizationID: directory.organizationID,
            stamp: Timestamp.format(now), now: now)
        self.state.users.append(user)
        reindex()
        let object = self.state.json(user, index: index)
        record("dsync.user.created", organizationID: directory.organizationID, data: object, now: now)
        for groupID in groupIDs { recordMembership("dsync.group.user_added", user: object, groupID: groupID, now: now) }
        if profile.deletesInactiveUsers, state != "active" {
            // The secure flow: an inactive user is deleted as soon as the directory pushes it.
            return removeUser(self.state.users.count - 1, now: now)
        }
        return JSONWriter.response(201, object)
    }

    /// The email of a user to add: required, unless the profile allows users without one (`null` or absent: "").
    private func newUserEmail(_ body: [String: Any]) throws(WorkOSErrorResponse) -> String {
        if profile.allowsSuspendedAndNoEmail, body["email"] == nil || body["email"] is NSNull { return "" }
        guard let email = body["email"] as? String, email.contains("@") else {
            throw .invalid("email", "required", "email is required.")
        }
        return email
    }

    /// A `state` the profile accepts (`active`, `inactive`, and under `strict` `suspended`); `nil` when absent.
    private func userState(_ value: Any?) throws(WorkOSErrorResponse) -> String? {
        guard let value else { return nil }
        guard let text = value as? String, profile.userStates.contains(text) else {
            let states = profile.userStates
            let listed = states.dropLast().joined(separator: ", ") + " or " + (states.last ?? "")
            throw .invalid("state", "invalid", "state must be \(listed).")
        }
        return text
    }

    mutating func updateUser(_ position: Int, _ body: [String: Any], now: Date) throws(WorkOSErrorResponse) -> HTTPResponse {
        var user = state.users[position]
        guard let directoryPosition = index.directory[user.directoryID] else {
            throw .notFound("Directory", user.directoryID)
        }
        let directory = state.directories[directoryPosition]
        var previous: [String: Any] = [:]
        for (key, path) in [("email", \WorkOSUser.email), ("first_name", \.firstName), ("last_name", \.lastName)] {
            guard let value = body[key] else { continue }
            guard let text = value as? String, !text.isEmpty else { throw .invalid(key, "invalid", "\(key) must be a string.") }
            if user[keyPath: path] != text {
                previous[key] = user[keyPath: path]
                user[keyPath: path] = text
            }
        }
        if let text = try userState(body["state"]) {
            if profile.deletesInactiveUsers, text != "active" {
                // The secure flow: WorkOS deletes the user rather than keep it inactive.
                return removeUser(position, now: now)
            }
            if user.state != text {
                previous["state"] = user.state
                user.state = text
            }
        }
        let before = user.groupIDs
        if body["groups"] != nil { user.groupIDs = try groupIDs(body["groups"], in: directory, now: now) }
        let added = user.groupIDs.filter { !before.contains($0) }
        let removed = before.filter { !user.groupIDs.contains($0) }
        guard !previous.isEmpty || !added.isEmpty || !removed.isEmpty else {
            return JSONWriter.response(200, state.json(user, index: index))
        }
        user.updatedAt = Timestamp.format(now)
        state.users[position] = user
        reindex()
        let object = state.json(user, index: index)
        if !previous.isEmpty {
            var data = object
            data["previous_attributes"] = previous
            record("dsync.user.updated", organizationID: user.organizationID, data: data, now: now)
        }
        for groupID in added { recordMembership("dsync.group.user_added", user: object, groupID: groupID, now: now) }
        for groupID in removed { recordMembership("dsync.group.user_removed", user: object, groupID: groupID, now: now) }
        return JSONWriter.response(200, object)
    }

    mutating func removeUser(_ position: Int, now: Date) -> HTTPResponse {
        var user = state.users[position]
        user.state = "inactive"
        user.updatedAt = Timestamp.format(now)
        let object = state.json(user, index: index)
        state.users.remove(at: position)
        reindex()
        record("dsync.user.deleted", organizationID: user.organizationID, data: object, now: now)
        return JSONWriter.response(200, object)
    }

    mutating func addGroup(to directory: Int, _ body: [String: Any], now: Date) throws(WorkOSErrorResponse) -> HTTPResponse {
        guard let name = body["name"] as? String, !name.isEmpty else { throw .invalid("name", "required", "name is required.") }
        let directory = state.directories[directory]
        if group(named: name, in: directory.id) != nil {
            throw .conflict("Group '\(name)' already exists in directory \(directory.id).")
        }
        let group = createGroup(name, in: directory, now: now)
        return JSONWriter.response(201, state.json(state.groups[group]))
    }

    private func group(named name: String, in directoryID: String) -> Int? {
        index.groupsByDirectory[directoryID]?.first { state.groups[$0].name == name }
    }

    private mutating func createGroup(_ name: String, in directory: WorkOSDirectory, now: Date) -> Int {
        let group = state.newGroup(name: name, directoryID: directory.id, organizationID: directory.organizationID, now: now)
        state.groups.append(group)
        reindex()
        record("dsync.group.created", organizationID: directory.organizationID, data: state.json(group), now: now)
        return state.groups.count - 1
    }

    /// Group ids for a `groups` list of names or ids; a name the directory lacks creates that group, as an IdP
    /// pushing a new group would.
    private mutating func groupIDs(
        _ value: Any?, in directory: WorkOSDirectory, now: Date
    ) throws(WorkOSErrorResponse)
        -> [String]
    {
        guard let value, !(value is NSNull) else { return [] }
        guard let names = value as? [String] else { throw .invalid("groups", "invalid", "groups must be a list of names.") }
        var ids: [String] = []
        for name in names {
            if let position = index.group[name], state.groups[position].directoryID == directory.id {
                ids.append(name)
                continue
            }
            let position = group(named: name, in: directory.id) ?? createGroup(name, in: directory, now: now)
            if !ids.contains(state.groups[position].id) { ids.append(state.groups[position].id) }
        }
        return ids
    }

    private mutating func recordMembership(_ type: String, user: [String: Any], groupID: String, now: Date) {
        guard let position = index.group[groupID] else { return }
        let group = state.groups[position]
        record(
            type, organizationID: group.organizationID,
            data: ["directory_id": group.directoryID, "user": user, "group": state.json(group)], now: now)
    }
}
