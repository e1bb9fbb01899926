import Foundation

extension ThinkificSite {
    /// `GET /enrollments`: `query[user_id]`, `query[email]`, `query[course_id]` (through the indexes; the smallest
    /// candidate list is walked), `query[expired|free_trial|full|completed]` (`true`/`false`); id order.
    func listEnrollments(_ request: HTTPRequest, now: Date) -> ThinkificReply {
        let page = ThinkificPageRequest(request)
        var userIDs: [Int] = []
        if let text = filter(request, "query[user_id]") { userIDs.append(ThinkificValue.int(text) ?? -1) }
        if let email = filter(request, "query[email]") { userIDs.append(user(email: email)?.id ?? -1) }
        let courseID = filter(request, "query[course_id]").map { ThinkificValue.int($0) ?? -1 }
        let expired = ThinkificValue.bool(filter(request, "query[expired]"))
        let freeTrial = ThinkificValue.bool(filter(request, "query[free_trial]"))
        let full = ThinkificValue.bool(filter(request, "query[full]"))
        let completed = ThinkificValue.bool(filter(request, "query[completed]"))

        let matches: (ThinkificEnrollment) -> Bool = { enrollment in
            userIDs.allSatisfy { $0 == enrollment.userID }
                && (courseID.map { $0 == enrollment.courseID } ?? true)
                && (expired.map { $0 == enrollment.isExpired(at: now) } ?? true)
                && (freeTrial.map { $0 == enrollment.isFreeTrial } ?? true)
                && (full.map { $0 == !enrollment.isFreeTrial } ?? true)
                && (completed.map { $0 == enrollment.isCompleted } ?? true)
        }
        var candidateLists: [[Int]] = []
        if let userID = userIDs.first { candidateLists.append(enrollmentIDsByUser[userID] ?? []) }
        if let courseID { candidateLists.append(enrollmentIDsByCourse[courseID] ?? []) }
        let found: ThinkificPage<ThinkificEnrollment>
        if let candidates = candidateLists.min(by: { $0.count < $1.count }) {
            found = page.filter(candidates.lazy.compactMap { enrollments.record($0) }, matches)
        } else if expired == nil, freeTrial == nil, full == nil, completed == nil {
            found = page.slice(enrollments)
        } else {
            found = page.filter(enrollments, matches)
        }
        return .enrollments(ThinkificPage(items: found.items.map { view($0, now: now) }, request: page, total: found.total))
    }

    /// `POST /enrollments` → 201. No `activated_at` makes a free trial; no `expiry_date` never expires.
    /// Unknown user/course and an existing enrollment of the same user in the course are 422s.
    mutating func createEnrollment(_ request: HTTPRequest, now: Date) -> ThinkificReply {
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        let courseID = ThinkificValue.int(body["course_id"])
        let userID = ThinkificValue.int(body["user_id"])
        var messages: [String] = []
        let course = courseID.flatMap { courses.record($0) }
        let user = userID.flatMap { users.record($0) }
        if course == nil { messages.append(ThinkificMessage.courseNotFound) }
        if user == nil { messages.append(ThinkificMessage.userNotFound) }
        let activatedAt = date(body, "activated_at", messages: &messages)
        let expiryDate = date(body, "expiry_date", messages: &messages)
        guard messages.isEmpty, let course, let user else { return .failure(.messages(messages)) }
        if enrollment(userID: user.id, courseID: course.id) != nil {
            return .failure(.messages([ThinkificMessage.alreadyEnrolled]))
        }
        let enrollment = ThinkificEnrollment(
            id: nextEnrollmentID, userID: user.id, courseID: course.id, userEmail: user.email, userName: user.fullName,
            createdAt: now, updatedAt: now, activatedAt: activatedAt, startedAt: activatedAt ?? now, completedAt: nil,
            expiryDate: expiryDate, percentageCompleted: 0, isFreeTrial: activatedAt == nil)
        addEnrollment(enrollment)
        return .enrollment(view(enrollment, now: now), status: 201)
    }

    func getEnrollment(_ id: String, now: Date) -> ThinkificReply {
        guard let enrollment = ThinkificValue.int(id).flatMap({ enrollments.record($0) }) else {
            return .failure(.recordNotFound)
        }
        return .enrollment(view(enrollment, now: now), status: 200)
    }

    /// `PUT /enrollments/{id}` → 204. `activated_at` turns a free trial into a full enrollment; `expiry_date`
    /// sets the expiry (in the past: expire now), JSON `null` clears it. Progress is never touched.
    mutating func updateEnrollment(_ id: String, _ request: HTTPRequest, now: Date) -> ThinkificReply {
        guard let position = ThinkificValue.int(id).flatMap({ enrollments.position(of: $0) }) else {
            return .failure(.recordNotFound)
        }
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        var messages: [String] = []
        let activatedAt = date(body, "activated_at", messages: &messages)
        let expiryDate = date(body, "expiry_date", messages: &messages)
        guard messages.isEmpty else { return .failure(.messages(messages)) }
        if let activatedAt {
            enrollments[position].activatedAt = activatedAt
            enrollments[position].isFreeTrial = false
        }
        if body["expiry_date"] != nil { enrollments[position].expiryDate = expiryDate }
        enrollments[position].updatedAt = now
        return .empty(204)
    }

    // MARK: - Helpers

    /// The enrollment with its user's current email and name (the last known ones if the user was deleted).
    func view(_ enrollment: ThinkificEnrollment, now: Date) -> ThinkificEnrollmentView {
        let user = users.record(enrollment.userID)
        return ThinkificEnrollmentView(
            enrollment: enrollment, userEmail: user?.email ?? enrollment.userEmail,
            userName: user?.fullName ?? enrollment.userName,
            courseName: courses.record(enrollment.courseID)?.name ?? "", isExpired: enrollment.isExpired(at: now))
    }

    /// A date-time field of the body: `nil` when absent or `null`; an unparsable value adds a message.
    private func date(_ body: [String: Any], _ field: String, messages: inout [String]) -> Date? {
        guard let value = body[field], !(value is NSNull) else { return nil }
        guard let text = value as? String, let date = Timestamp.parseLenient(text) else {
            messages.append(ThinkificMessage.invalidDate(field))
            return nil
        }
        return date
    }
}
