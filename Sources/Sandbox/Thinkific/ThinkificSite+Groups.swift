import Foundation

extension ThinkificSite {
    /// `POST /groups` → **200** with the group; a blank or taken name (exact, case-sensitive) is a 422.
    mutating func createGroup(_ request: HTTPRequest, now: Date) -> ThinkificReply {
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        guard let name = ThinkificValue.text(body["name"]) else {
            return .failure(.fieldErrors([ThinkificFieldError(field: "name", messages: [ThinkificMessage.blank])]))
        }
        if group(named: name) != nil {
            return .failure(.fieldErrors([ThinkificFieldError(field: "name", messages: [ThinkificMessage.taken])]))
        }
        let group = ThinkificGroup(id: nextGroupID, name: name, token: token(groupID: nextGroupID, name: name), createdAt: now)
        addGroup(group)
        return .group(group)
    }

    /// `DELETE /groups/{id}` → 204; memberships and analyst seats of the group go with it.
    mutating func deleteGroup(_ id: String) -> ThinkificReply {
        guard let group = ThinkificValue.int(id).flatMap({ groups.record($0) }) else { return .failure(.recordNotFound) }
        removeGroup(group.id)
        return .empty(204)
    }

    /// `POST /group_users {user_id, group_names}` → 201 empty. Groups are addressed by exact name; any unknown name
    /// (or none) is a 422 and adds nothing. Adding an existing member again is not an error.
    mutating func addGroupUsers(_ request: HTTPRequest) -> ThinkificReply {
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        guard let user = ThinkificValue.int(body["user_id"]).flatMap({ users.record($0) }) else {
            return .failure(.messages([ThinkificMessage.userNotFound]))
        }
        guard let names = body["group_names"] as? [String], !names.isEmpty else {
            return .failure(.messages([ThinkificMessage.invalidGroupNames]))
        }
        var groupIDs: [Int] = []
        for name in names {
            guard let group = group(named: name) else { return .failure(.messages([ThinkificMessage.invalidGroupNames])) }
            groupIDs.append(group.id)
        }
        for groupID in groupIDs {
            groupMembers[groupID, default: []].insertSortedUnique(user.id)
        }
        return .empty(201)
    }

    // MARK: - Group analysts

    /// `GET /groups/{group_id}/analysts` → `{"group_analysts":[user_id,…]}`.
    func listGroupAnalysts(_ groupText: String) -> ThinkificReply {
        guard let group = ThinkificValue.int(groupText).flatMap({ groups.record($0) }) else {
            return .failure(
                .analystNotFound([ThinkificFieldError(field: "group_id", messages: [ThinkificMessage.groupNotFound(groupText)])]))
        }
        return .groupAnalysts(groupAnalysts[group.id] ?? [])
    }

    /// `POST /groups/{group_id}/analysts {user_ids}` → 201 empty; every user must exist and hold `group_analyst`.
    mutating func addGroupAnalysts(_ groupText: String, _ request: HTTPRequest) -> ThinkificReply {
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        var errors: [ThinkificFieldError] = []
        let group = ThinkificValue.int(groupText).flatMap { groups.record($0) }
        if group == nil {
            errors.append(
                ThinkificFieldError(
                    field: "group_id", messages: [ThinkificMessage.invalidGroupIDs([ThinkificValue.int(groupText) ?? 0])]))
        }
        let ids = (body["user_ids"] as? [Any])?.compactMap(ThinkificValue.int) ?? []
        if ids.isEmpty { errors.append(ThinkificFieldError(field: "user_ids", messages: [ThinkificMessage.blank])) }
        errors += analystErrors(userIDs: ids)
        guard errors.isEmpty, let group else { return .failure(.fieldMessages(errors)) }
        for id in ids {
            groupAnalysts[group.id, default: []].insertSortedUnique(id)
        }
        return .empty(201)
    }

    /// `DELETE /groups/{group_id}/analysts/{user_id}` → 204.
    mutating func removeGroupAnalyst(group groupText: String, user userText: String) -> ThinkificReply {
        var missing: [ThinkificFieldError] = []
        let user = ThinkificValue.int(userText).flatMap { users.record($0) }
        let group = ThinkificValue.int(groupText).flatMap { groups.record($0) }
        if user == nil {
            missing.append(ThinkificFieldError(field: "user_id", messages: [ThinkificMessage.userNotFound(userText)]))
        }
        if group == nil {
            missing.append(ThinkificFieldError(field: "group_id", messages: [ThinkificMessage.groupNotFound(groupText)]))
        }
        guard missing.isEmpty, let user, let group else { return .failure(.analystNotFound(missing)) }
        groupAnalysts[group.id]?.removeSorted(user.id)
        return .empty(204)
    }

    /// `POST /group_analysts/{user_id}/groups {group_ids}` → 201 empty.
    mutating func addAnalystGroups(_ userText: String, _ request: HTTPRequest) -> ThinkificReply {
        guard let user = ThinkificValue.int(userText).flatMap({ users.record($0) }) else {
            return .failure(
                .analystNotFound([ThinkificFieldError(field: "user_id", messages: [ThinkificMessage.userNotFound(userText)])]))
        }
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        var errors: [ThinkificFieldError] = []
        let ids = (body["group_ids"] as? [Any])?.compactMap(ThinkificValue.int) ?? []
        if ids.isEmpty { errors.append(ThinkificFieldError(field: "group_ids", messages: [ThinkificMessage.blank])) }
        let unknown = ids.filter { groups.record($0) == nil }
        if !unknown.isEmpty {
            errors.append(ThinkificFieldError(field: "group_id", messages: [ThinkificMessage.invalidGroupIDs(unknown)]))
        }
        errors += analystErrors(userIDs: [user.id])
        guard errors.isEmpty else { return .failure(.fieldMessages(errors)) }
        for id in ids {
            groupAnalysts[id, default: []].insertSortedUnique(user.id)
        }
        return .empty(201)
    }

    /// `DELETE /group_analysts/{user_id}/groups/{group_id}` → 204; an unknown group is a 422 here, as documented.
    mutating func removeAnalystGroup(user userText: String, group groupText: String) -> ThinkificReply {
        guard let user = ThinkificValue.int(userText).flatMap({ users.record($0) }) else {
            return .failure(
                .analystNotFound([ThinkificFieldError(field: "user_id", messages: [ThinkificMessage.userNotFound(userText)])]))
        }
        guard let group = ThinkificValue.int(groupText).flatMap({ groups.record($0) }) else {
            return .failure(
                .fieldErrors([ThinkificFieldError(field: "group_id", messages: [ThinkificMessage.groupNotFound(groupText)])]))
        }
        groupAnalysts[group.id]?.removeSorted(user.id)
        return .empty(204)
    }

    /// Unknown users (`user_id`) and users without the `group_analyst` role (`group_analysts`).
    private func analystErrors(userIDs: [Int]) -> [ThinkificFieldError] {
        var errors: [ThinkificFieldError] = []
        let unknown = userIDs.filter { users.record($0) == nil }
        if !unknown.isEmpty {
            errors.append(ThinkificFieldError(field: "user_id", messages: [ThinkificMessage.invalidUserIDs(unknown)]))
        }
        let withoutRole = userIDs.filter { users.record($0).map { !$0.roles.contains("group_analyst") } ?? false }
        if !withoutRole.isEmpty {
            errors.append(
                ThinkificFieldError(field: "group_analysts", messages: [ThinkificMessage.missingAnalystRole(withoutRole)]))
        }
        return errors
    }
}
