import Foundation
import Planner

/// The write side of the Thinkific Admin API v1 (contracts/thinkific.md §2). Every method can be run twice, or
/// after an answer was lost, without making anything twice.
extension ThinkificClient {
    static let jsonHeaders = [(name: "Content-Type", value: "application/json")]

    // MARK: - Users

    /// `POST /users`. Thinkific refuses a second user with the same email (422 "has already been taken"): that
    /// answer, or a lost one, is settled by looking the user up by `query[email]` and adopting it. No lookup first:
    /// the server deduplicates by email.
    public func createUser(email: String, firstName: String, lastName: String) async throws(LiveError) -> WriteResult<Int> {
        let body = jsonBody(["email": email, "first_name": firstName, "last_name": lastName])
        return try await idempotentCreate(
            what: "/users (\(email))",
            lookup: { () async throws(LiveError) in try await self.user(email: email)?.id },
            post: { () async throws(LiveError) in
                try await channel.send("POST", "/users", body: body, headers: Self.jsonHeaders)
            },
            createdID: { (response: TransportResponse) throws(LiveError) in
                guard let id = jsonInt(jsonField(response.body, "id", wrappedIn: "user")) else {
                    throw .malformedResponse(method: "POST", path: "/users", reason: "missing id")
                }
                return id
            })
    }

    /// `PUT /users/{id}` (204): email and names.
    public func updateUser(id: Int, email: String, firstName: String, lastName: String) async throws(LiveError) -> Int {
        let path = "/users/\(id)"
        let body = jsonBody(["email": email, "first_name": firstName, "last_name": lastName])
        let response = try await channel.send("PUT", path, body: body, headers: Self.jsonHeaders)
        try expect(response, [200, 204], method: "PUT", path: path)
        return response.status
    }

    // MARK: - Groups

    /// `POST /groups`. Thinkific does not promise to refuse a duplicate name, so unless `knownAbsent` (the group was
    /// observed absent under the tenant's lock) the site's groups are checked first and an existing group adopted.
    public func createGroup(name: String, knownAbsent: Bool = false) async throws(LiveError) -> WriteResult<Int> {
        let lookup = { () async throws(LiveError) -> Int? in try await self.group(named: name)?.id }
        if !knownAbsent, let existing = try await lookup() {
            return WriteResult(id: existing, adopted: true, status: nil, attempts: 0)
        }
        let body = jsonBody(["name": name])
        return try await idempotentCreate(
            what: "/groups (\(name))", lookup: lookup,
            post: { () async throws(LiveError) in
                try await channel.send("POST", "/groups", body: body, headers: Self.jsonHeaders)
            },
            createdID: { (response: TransportResponse) throws(LiveError) in
                guard let id = jsonInt(jsonField(response.body, "id", wrappedIn: "group")) else {
                    throw .malformedResponse(method: "POST", path: "/groups", reason: "missing id")
                }
                return id
            })
    }

    /// The group with this name (exact first, then case-insensitive).
    public func group(named name: String) async throws(LiveError) -> ThinkificGroup? {
        let all = try await groups()
        return all.first { $0.name == name } ?? all.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// `POST /group_users` (201): adds a user to groups by name. Adding a member twice changes nothing, so the request
    /// is retried like an idempotent one.
    public func addToGroups(userID: Int, groups: [String]) async throws(LiveError) -> Int {
        let body = jsonBody(["user_id": userID, "group_names": groups])
        let response = try await channel.send(
            "POST", "/group_users", body: body, headers: Self.jsonHeaders, isIdempotent: true)
        try expect(response, [200, 201, 204], method: "POST", path: "/group_users")
        return response.status
    }

    // MARK: - Enrollments

    /// The user's enrollment in a course, if any (`query[user_id]` + `query[course_id]`).
    public func enrollment(userID: Int, courseID: Int) async throws(LiveError) -> ThinkificEnrollment? {
        let filter = [("query[user_id]", String(userID)), ("query[course_id]", String(courseID))]
        let found = try await listAll(WireEnrollment.self, "/enrollments", filter: filter).map(\.enrollment)
        return found.first { $0.userID == userID && $0.courseID == courseID }
    }

    /// Enrolls a user with full access (`activated_at` set). Thinkific would happily enroll twice, so unless
    /// `knownAbsent` (observed absent under the tenant's lock, for a user that existed then or was made by this run)
    /// the enrollment is looked up first. An enrollment found — first, or after an ambiguous answer or a refusal —
    /// is adopted and its dates brought in line with a `PUT`.
    public func enroll(
        userID: Int, courseID: Int, activatedAt: String, expiryDate: String?, knownAbsent: Bool = false
    ) async throws(LiveError) -> WriteResult<Int> {
        var found: ThinkificEnrollment?
        let lookup = { () async throws(LiveError) -> Int? in
            found = try await self.enrollment(userID: userID, courseID: courseID)
            return found?.id
        }
        if !knownAbsent, try await lookup() != nil, let existing = found {
            let status = try await updateEnrollment(
                id: existing.id, activatedAt: activatedAt, expiryDate: expiryDate, clearsExpiry: existing.expiryDate != nil)
            return WriteResult(id: existing.id, adopted: true, status: status, attempts: 0)
        }
        var fields: [String: Any] = ["user_id": userID, "course_id": courseID, "activated_at": activatedAt]
        if let expiryDate { fields["expiry_date"] = expiryDate }
        let body = jsonBody(fields)
        var result = try await idempotentCreate(
            what: "/enrollments (user \(userID), course \(courseID))", lookup: lookup,
            post: { () async throws(LiveError) in
                try await channel.send("POST", "/enrollments", body: body, headers: Self.jsonHeaders)
            },
            createdID: { (response: TransportResponse) throws(LiveError) in
                guard let id = jsonInt(jsonField(response.body, "id", wrappedIn: "enrollment")) else {
                    throw .malformedResponse(method: "POST", path: "/enrollments", reason: "missing id")
                }
                return id
            })
        if result.adopted, let existing = found, existing.activatedAt != activatedAt || existing.expiryDate != expiryDate {
            result.status = try await updateEnrollment(
                id: existing.id, activatedAt: activatedAt, expiryDate: expiryDate, clearsExpiry: existing.expiryDate != nil)
        }
        return result
    }

    /// `PUT /enrollments/{id}` (204): new dates. A `nil` expiry with `clearsExpiry` sends `expiry_date: null`
    /// (access without end); otherwise a `nil` date is left as it is.
    public func updateEnrollment(
        id: Int, activatedAt: String?, expiryDate: String?, clearsExpiry: Bool = false
    ) async throws(LiveError) -> Int {
        var fields: [String: Any] = [:]
        if let activatedAt { fields["activated_at"] = activatedAt }
        if let expiryDate {
            fields["expiry_date"] = expiryDate
        } else if clearsExpiry {
            fields["expiry_date"] = NSNull()
        }
        let path = "/enrollments/\(id)"
        let response = try await channel.send("PUT", path, body: jsonBody(fields), headers: Self.jsonHeaders)
        try expect(response, [200, 204], method: "PUT", path: path)
        return response.status
    }

    /// Ends access, keeping progress: `PUT /enrollments/{id}` with `expiry_date` = `now`.
    public func expireEnrollment(id: Int, now: Date) async throws(LiveError) -> Int {
        try await updateEnrollment(id: id, activatedAt: nil, expiryDate: Instant(now).iso)
    }

}
