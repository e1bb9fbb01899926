import Foundation
import Planner

/// The write side of the Thinkific Admin API v1 (contracts/thinkific.md §2). Every method can be run twice, or
/// after an answer was lost, without making anything twice.
extension ThinkificClient {
    static let jsonHeaders = [(name: "Content-Type", value: "application/json")]

    // MARK: - Users

    /// `POST /users`. Thinkific refuses a second user with the same email (a 422, documented only by example): any
    /// refusal (4xx), or a lost answer, is settled by looking the user up by `query[email]` and adopting it; whatever
    /// the refusal's words, the lookup decides. No lookup first: the server deduplicates by email.
    public func createUser(email: String, firstName: String, lastName: String) async throws(LiveError) -> WriteResult<Int> {
        let body = jsonBody(["email": email, "first_name": firstName, "last_name": lastName])
        return try await idempotentCreate(
            what: "/users (\(email))", settlesByLookup: anyRefusal,
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

    /// `PUT /users/{id}` with only `external_source` (the record of a sign-in grant, `SignIn.marker(tenant:)`).
    public func setExternalSource(userID id: Int, _ value: String) async throws(LiveError) -> Int {
        let path = "/users/\(id)"
        let response = try await channel.send(
            "PUT", path, body: jsonBody(["external_source": value]), headers: Self.jsonHeaders)
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
            what: "/groups (\(name))", settlesByLookup: anyRefusal, lookup: lookup,
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

    /// `POST /group_users` (201, empty body): adds a user to groups by name. The vendor documents no idempotency and
    /// no conflict answer, so the POST is never resent blindly: after an ambiguous failure (no answer, a timeout, a
    /// 5xx) or a refusal (any 4xx), the user's membership of each group is read, and only the groups still missing
    /// are sent again — a refusal stands when some are still missing. `id` is the user's.
    public func addToGroups(userID: Int, groups: [String], attempts: Int = 4) async throws(LiveError) -> WriteResult<Int> {
        var missing = groups
        var lastError = LiveError.unresolvedID(what: "/group_users (user \(userID))")
        for attempt in 1...max(1, attempts) {
            let body = jsonBody(["user_id": userID, "group_names": missing])
            var refusal: LiveError?
            var status: Int?
            do {
                let response = try await channel.send(
                    "POST", "/group_users", body: body, headers: Self.jsonHeaders, isIdempotent: false)
                if response.isSuccess {
                    return WriteResult(id: userID, adopted: false, status: response.status, attempts: attempt)
                }
                status = response.status
                lastError = .status(
                    code: response.status, method: "POST", path: "/group_users", message: HTTPChannel.errorMessage(response.body))
                if response.status < 500 { refusal = lastError }
            } catch {
                switch error {
                case .connectionDropped, .timedOut: lastError = error
                default: throw error
                }
            }
            missing = try await groupsMissing(userID: userID, of: missing)
            if missing.isEmpty { return WriteResult(id: userID, adopted: refusal != nil, status: status, attempts: attempt) }
            if let refusal { throw refusal }
        }
        throw lastError
    }

    /// The groups (by name) the user is not a member of: each named group's members are read
    /// (`GET /users?query[group_id]=`, the one membership read the API has); a name no group has is missing.
    public func groupsMissing(userID: Int, of names: [String]) async throws(LiveError) -> [String] {
        let all = try await self.groups()
        var missing: [String] = []
        for name in names {
            let exact = all.first { $0.name == name }
            guard let group = exact ?? all.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                missing.append(name)
                continue
            }
            let members = try await users(inGroup: group.id)
            if !members.contains(where: { $0.id == userID }) { missing.append(name) }
        }
        return missing
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
            let status = try await bringInLine(existing, activatedAt: activatedAt, expiryDate: expiryDate)
            return WriteResult(id: existing.id, adopted: true, status: status, attempts: 0)
        }
        var fields: [String: Any] = ["user_id": userID, "course_id": courseID, "activated_at": activatedAt]
        if let expiryDate { fields["expiry_date"] = expiryDate }
        let body = jsonBody(fields)
        var result = try await idempotentCreate(
            what: "/enrollments (user \(userID), course \(courseID))", settlesByLookup: anyRefusal, lookup: lookup,
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
            result.status = try await bringInLine(existing, activatedAt: activatedAt, expiryDate: expiryDate)
        }
        return result
    }

    /// An adopted enrollment's dates made what the plan asks: a `PUT`, or a re-enrollment to remove its expiry.
    private func bringInLine(
        _ existing: ThinkificEnrollment, activatedAt: String, expiryDate: String?
    ) async throws(LiveError) -> Int {
        if expiryDate == nil, existing.expiryDate != nil { return try await clearExpiry(existing, activatedAt: activatedAt) }
        return try await updateEnrollment(id: existing.id, activatedAt: activatedAt, expiryDate: expiryDate)
    }

    /// `PUT /enrollments/{id}` (204): new dates; a `nil` date is left as it is. The vendor's schema types
    /// `expiry_date` as a date-time, never `null`, so no PUT clears an expiry: a `nil` expiry with `clearsExpiry` is
    /// done the way the vendor documents it instead (`clearExpiry`), after reading the enrollment.
    public func updateEnrollment(
        id: Int, activatedAt: String?, expiryDate: String?, clearsExpiry: Bool = false
    ) async throws(LiveError) -> Int {
        if expiryDate == nil, clearsExpiry {
            let current = try await channel.getJSON(WireEnrollment.self, "/enrollments/\(id)").enrollment
            return try await clearExpiry(current, activatedAt: activatedAt)
        }
        var fields: [String: Any] = [:]
        if let activatedAt { fields["activated_at"] = activatedAt }
        if let expiryDate { fields["expiry_date"] = expiryDate }
        let path = "/enrollments/\(id)"
        let response = try await channel.send("PUT", path, body: jsonBody(fields), headers: Self.jsonHeaders)
        try expect(response, [200, 204], method: "PUT", path: path)
        return response.status
    }

    /// Removes an enrollment's expiry as Thinkific documents it: by enrolling the user again. `POST /enrollments`
    /// without `expiry_date` ("if not provided, the enrollment does not expire", OpenAPI) and the support article on
    /// expiry dates ("re-enroll them … this will clear the calendar date"); `activated_at` is the one asked for, else
    /// the enrollment's own, so access stays full. What the API does for an enrolled user is undocumented, so the
    /// user's enrollments in the course are read afterwards: anything but exactly one, without an expiry, is
    /// `LiveError.expiryNotCleared` — whatever the POST answered, never a silent success.
    func clearExpiry(_ current: ThinkificEnrollment, activatedAt: String?) async throws(LiveError) -> Int {
        guard current.expiryDate != nil else { return 204 }
        var fields: [String: Any] = ["user_id": current.userID, "course_id": current.courseID]
        if let activated = activatedAt ?? current.activatedAt { fields["activated_at"] = activated }
        var status: Int?
        do {
            let response = try await channel.send("POST", "/enrollments", body: jsonBody(fields), headers: Self.jsonHeaders)
            status = response.status
        } catch {
            switch error {
            case .connectionDropped, .timedOut: break
            default: throw error
            }
        }
        let filter = [("query[user_id]", String(current.userID)), ("query[course_id]", String(current.courseID))]
        let after = try await listAll(WireEnrollment.self, "/enrollments", filter: filter).map(\.enrollment)
            .filter { $0.userID == current.userID && $0.courseID == current.courseID }
        let answer = "the re-enrollment answered \(status.map(String.init) ?? "nothing")"
        guard after.count == 1 else {
            throw .expiryNotCleared(enrollmentID: current.id, reason: "\(after.count) enrollments found after it; \(answer)")
        }
        guard after[0].expiryDate == nil else {
            throw .expiryNotCleared(enrollmentID: current.id, reason: "it still has an expiry; \(answer)")
        }
        return status ?? 204
    }

    /// Ends access, keeping progress: `PUT /enrollments/{id}` with `expiry_date` = `now`.
    public func expireEnrollment(id: Int, now: Date) async throws(LiveError) -> Int {
        try await updateEnrollment(id: id, activatedAt: nil, expiryDate: Instant(now).iso)
    }

}
