import Foundation
import Planner
import Spec

/// The write side of a SCIM 2.0 service provider (RFC 7644; contracts/scim.md). PATCH may answer 200 with the
/// resource or 204 with nothing (scim2-server): both are success.
extension SCIMClient {
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let bodyHeaders = [(name: "Content-Type", value: mediaType)]

    // MARK: - Users

    /// `POST /Users`. A 409 `uniqueness` (or a lost answer) is settled by `filter=userName eq` and adopting the user,
    /// reactivated when it was inactive.
    public func createUser(
        userName: String, externalID: String?, givenName: String, familyName: String
    ) async throws(LiveError) -> WriteResult<String> {
        var fields: [String: Any] = [
            "schemas": [Self.userSchema], "userName": userName, "active": true,
            "name": ["givenName": givenName, "familyName": familyName],
            "emails": [["value": userName, "type": "work", "primary": true]],
        ]
        if let externalID { fields["externalId"] = externalID }
        let body = jsonBody(fields)
        var foundInactive = false
        var result = try await idempotentCreate(
            what: "/Users (\(userName))",
            lookup: { () async throws(LiveError) -> String? in
                let found = try await self.user(userName: userName)
                foundInactive = found.map { !$0.active } ?? false
                return found?.id
            },
            post: { () async throws(LiveError) in
                try await channel.send("POST", "/Users", body: body, headers: Self.bodyHeaders)
            },
            createdID: { (response: TransportResponse) throws(LiveError) in
                guard let id = jsonField(response.body, "id") as? String else {
                    throw .malformedResponse(method: "POST", path: "/Users", reason: "missing id")
                }
                return id
            })
        if foundInactive {
            result.status = try await patch(
                "/Users/" + HTTPChannel.pathSegment(result.id), [["op": "replace", "path": "active", "value": true]])
        }
        return result
    }

    /// Replaces a user's attributes (`userName`, `externalId`, names, `active`) with one PATCH.
    public func updateUser(
        id: String, userName: String, externalID: String?, givenName: String, familyName: String, active: Bool
    ) async throws(LiveError) -> Int {
        var operations: [[String: Any]] = [
            ["op": "replace", "path": "userName", "value": userName],
            ["op": "replace", "path": "name.givenName", "value": givenName],
            ["op": "replace", "path": "name.familyName", "value": familyName],
            ["op": "replace", "path": "active", "value": active],
        ]
        if let externalID { operations.append(["op": "replace", "path": "externalId", "value": externalID]) }
        return try await patch("/Users/" + HTTPChannel.pathSegment(id), operations)
    }

    /// `active: false` (the user keeps existing).
    public func deactivateUser(id: String) async throws(LiveError) -> Int {
        try await patch("/Users/" + HTTPChannel.pathSegment(id), [["op": "replace", "path": "active", "value": false]])
    }

    /// `DELETE /Users/{id}`; a 404 (already gone, e.g. after a lost answer) counts as done.
    public func deleteUser(id: String) async throws(LiveError) -> Int {
        let path = "/Users/" + HTTPChannel.pathSegment(id)
        let response = try await channel.send("DELETE", path)
        try expect(response, [200, 204, 404], method: "DELETE", path: path)
        return response.status
    }

    // MARK: - Groups

    /// `POST /Groups`. SCIM servers need not refuse a duplicate `displayName`, so unless `knownAbsent` (observed
    /// absent under the tenant's lock) a group of that name is looked for first; an existing one, a 409's or a lost
    /// answer's group is adopted.
    public func createGroup(displayName: String, knownAbsent: Bool = false) async throws(LiveError) -> WriteResult<String> {
        let lookup = { () async throws(LiveError) -> String? in try await self.group(displayName: displayName)?.id }
        if !knownAbsent, let existing = try await lookup() {
            return WriteResult(id: existing, adopted: true, status: nil, attempts: 0)
        }
        let body = jsonBody(["schemas": [Self.groupSchema], "displayName": displayName, "members": [[String: Any]]()])
        return try await idempotentCreate(
            what: "/Groups (\(displayName))", lookup: lookup,
            post: { () async throws(LiveError) in
                try await channel.send("POST", "/Groups", body: body, headers: Self.bodyHeaders)
            },
            createdID: { (response: TransportResponse) throws(LiveError) in
                guard let id = jsonField(response.body, "id") as? String else {
                    throw .malformedResponse(method: "POST", path: "/Groups", reason: "missing id")
                }
                return id
            })
    }

    /// Members per membership PATCH (`VendorLimits.scimMembersPerPatch`, where the choice is explained).
    public static let membersPerPatch = VendorLimits.scimMembersPerPatch

    /// Adds one member (`op: add`, `path: members`); adding a present member changes nothing.
    public func addMember(groupID: String, userID: String) async throws(LiveError) -> Int {
        try await addMembers(groupID: groupID, userIDs: [userID])
    }

    /// Adds members with one `op: add` operation listing them all (at most `membersPerPatch`; the caller chunks).
    public func addMembers(groupID: String, userIDs: [String]) async throws(LiveError) -> Int {
        try await patch(
            "/Groups/" + HTTPChannel.pathSegment(groupID),
            [["op": "add", "path": "members", "value": userIDs.map { ["value": $0] }]])
    }

    /// Removes one member with a filtered path (`members[value eq "ID"]`, no value: the form scim2-server accepts).
    public func removeMember(groupID: String, userID: String) async throws(LiveError) -> Int {
        try await removeMembers(groupID: groupID, userIDs: [userID])
    }

    /// Removes members with one filtered `remove` operation each, all in one PATCH (at most `membersPerPatch`). The
    /// Entra form (`path: members` with a value list) is refused by scim2-server (contracts/scim.md §2).
    public func removeMembers(groupID: String, userIDs: [String]) async throws(LiveError) -> Int {
        try await patch(
            "/Groups/" + HTTPChannel.pathSegment(groupID),
            userIDs.map { ["op": "remove", "path": "members[value eq \(Self.quote($0))]"] })
    }

    /// One PatchOp request; setting values is idempotent, so it is retried like a PUT. 200 or 204 is success.
    func patch(_ path: String, _ operations: [[String: Any]]) async throws(LiveError) -> Int {
        let body = jsonBody(["schemas": [Self.patchSchema], "Operations": operations])
        let response = try await channel.send("PATCH", path, body: body, headers: Self.bodyHeaders, isIdempotent: true)
        try expect(response, [200, 204], method: "PATCH", path: path)
        return response.status
    }
}
