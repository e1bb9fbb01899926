import Foundation

/// What a handler decided, as plain values copied out of the state, so that JSON is rendered outside the lock.
enum ThinkificReply: Sendable {
    case user(ThinkificUser, status: Int)
    case users(ThinkificPage<ThinkificUser>)
    case course(ThinkificCourse)
    case courses(ThinkificPage<ThinkificCourse>)
    case enrollment(ThinkificEnrollmentView, status: Int)
    case enrollments(ThinkificPage<ThinkificEnrollmentView>)
    case group(ThinkificGroup)
    case groups(ThinkificPage<ThinkificGroup>)
    case groupAnalysts([Int])
    /// A status with no body (204 after PUT/DELETE, 201 after `POST /group_users`).
    case empty(Int)
    case failure(ThinkificFailure)
}

/// One page of a list, with what the pagination envelope needs.
struct ThinkificPage<Item: Sendable>: Sendable {
    var items: [Item]
    var request: ThinkificPageRequest
    var total: Int
}

/// An enrollment with the names it shows, resolved at read time (`expired` against the clock).
struct ThinkificEnrollmentView: Sendable {
    var enrollment: ThinkificEnrollment
    var userEmail: String
    var userName: String
    var courseName: String
    var isExpired: Bool
}

/// A field and its validation messages, in the order they were found.
struct ThinkificFieldError: Sendable, Equatable {
    var field: String
    var messages: [String]
}

/// The ways a Thinkific request fails, each with the status and body shape the real API uses.
enum ThinkificFailure: Sendable, Equatable {
    /// 401 `{"error":"Authentication Error"}`: key or subdomain missing or wrong.
    case authentication
    /// 404 `{"error":"Record not found."}`: an unknown id.
    case recordNotFound
    /// 404 `{"error":"Not Found"}`: no such route (path or method).
    case routeNotFound
    /// 400 `{"error":"…"}`: the body is not a JSON object.
    case malformedBody
    /// 422 `{"errors":{"field":["message",…]}}`: the general validation shape (users, groups).
    case fieldErrors([ThinkificFieldError])
    /// 422 `{"errors":["message",…]}`: the bare-array shape (enrollments, group users).
    case messages([String])
    /// 422 `{"errors":{"field":"message"}}`: the field → string shape of the group-analyst routes.
    case fieldMessages([ThinkificFieldError])
    /// 404 `{"error":{"field":["message"]}}`: the group-analyst routes' not-found shape.
    case analystNotFound([ThinkificFieldError])
    /// 429 `{"error":"Rate limit exceeded"}`: answered by the router when the rate limit is spent.
    case rateLimited
    /// 400 `{"error":"Parameter page is out of range."}`: a paging number too large to count to.
    case parameterOutOfRange(String)
}

/// Message texts, in one place, worded as the real API words them.
enum ThinkificMessage {
    static let authenticationError = "Authentication Error"
    static let recordNotFound = "Record not found."
    static let routeNotFound = "Not Found"
    static let malformedBody = "The request body must be a JSON object."
    static let rateLimited = "Rate limit exceeded"
    static func outOfRange(_ name: String) -> String { "Parameter \(name) is out of range." }
    static let blank = "can't be blank"
    static let taken = "has already been taken"
    static let invalid = "is invalid"
    static func tooShort(minimum: Int) -> String { "is too short (minimum is \(minimum) characters)" }
    static let userNotFound = "User could not be found."
    static let courseNotFound = "Course could not be found."
    static func invalidDate(_ field: String) -> String {
        field.prefix(1).uppercased() + field.dropFirst().replacingOccurrences(of: "_", with: " ") + " is invalid"
    }
    static let alreadyEnrolled = "User is already enrolled in this course"
    static let invalidGroupNames = "Invalid group_names"
    static func groupNotFound(_ id: String) -> String { "Could not find group with ID \(id)." }
    static func userNotFound(_ id: String) -> String { "Could not find user with ID \(id)." }
    static func invalidUserIDs(_ ids: [Int]) -> String { "Invalid user IDs: " + ids.map(String.init).joined(separator: ", ") }
    static func invalidGroupIDs(_ ids: [Int]) -> String { "Invalid group IDs: " + ids.map(String.init).joined(separator: ", ") }
    static func missingAnalystRole(_ ids: [Int]) -> String {
        "User IDs missing group_analysts role: " + ids.map(String.init).joined(separator: ", ")
    }
}

// MARK: - Rendering

extension ThinkificReply {
    var response: HTTPResponse {
        switch self {
        case .user(let user, let status): Self.json(status, ThinkificUserBody(user))
        case .users(let page): Self.json(200, ThinkificPageBody(page, ThinkificUserBody.init))
        case .course(let course): Self.json(200, ThinkificCourseBody(course))
        case .courses(let page): Self.json(200, ThinkificPageBody(page, ThinkificCourseBody.init))
        case .enrollment(let view, let status): Self.json(status, ThinkificEnrollmentBody(view))
        case .enrollments(let page): Self.json(200, ThinkificPageBody(page, ThinkificEnrollmentBody.init))
        case .group(let group): Self.json(200, ThinkificGroupBody(group))
        case .groups(let page): Self.json(200, ThinkificPageBody(page, ThinkificGroupBody.init))
        case .groupAnalysts(let ids): Self.json(200, ["group_analysts": ids])
        case .empty(let status): .empty(status)
        case .failure(let failure): failure.response
        }
    }

    /// Every Thinkific body goes through the shared writer with `/` escaped, as `JSONEncoder` and
    /// `JSONSerialization` (which wrote them before) escape it.
    static func json(_ status: Int, _ body: Any) -> HTTPResponse {
        JSONWriter.response(status, body, escapingSlashes: true)
    }
}

extension ThinkificFailure {
    var response: HTTPResponse {
        switch self {
        case .authentication:
            ThinkificReply.json(401, ["error": ThinkificMessage.authenticationError])
        case .recordNotFound:
            ThinkificReply.json(404, ["error": ThinkificMessage.recordNotFound])
        case .routeNotFound:
            ThinkificReply.json(404, ["error": ThinkificMessage.routeNotFound])
        case .malformedBody:
            ThinkificReply.json(400, ["error": ThinkificMessage.malformedBody])
        case .fieldErrors(let errors):
            ThinkificReply.json(422, ["errors": Dictionary(errors.map { ($0.field, $0.messages) }, uniquingKeysWith: +)])
        case .messages(let messages):
            ThinkificReply.json(422, ["errors": messages])
        case .fieldMessages(let errors):
            ThinkificReply.json(
                422,
                [
                    "errors": Dictionary(
                        errors.map { ($0.field, $0.messages.joined(separator: "; ")) }, uniquingKeysWith: { a, _ in a })
                ])
        case .rateLimited:
            ThinkificReply.json(429, ["error": ThinkificMessage.rateLimited])
        case .parameterOutOfRange(let name):
            ThinkificReply.json(400, ["error": ThinkificMessage.outOfRange(name)])
        case .analystNotFound(let errors):
            ThinkificReply.json(404, ["error": Dictionary(errors.map { ($0.field, $0.messages) }, uniquingKeysWith: +)])
        }
    }
}
