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
}

/// Message texts, in one place, worded as the real API words them.
enum ThinkificMessage {
    static let authenticationError = "Authentication Error"
    static let recordNotFound = "Record not found."
    static let routeNotFound = "Not Found"
    static let malformedBody = "The request body must be a JSON object."
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
        case .user(let user, let status): .json(status, object: Self.json(user))
        case .users(let page): .json(200, object: Self.envelope(page, Self.json))
        case .course(let course): .json(200, object: Self.json(course))
        case .courses(let page): .json(200, object: Self.envelope(page, Self.json))
        case .enrollment(let view, let status): .json(status, object: Self.json(view))
        case .enrollments(let page): .json(200, object: Self.envelope(page, Self.json))
        case .group(let group): .json(200, object: Self.json(group))
        case .groups(let page): .json(200, object: Self.envelope(page, Self.json))
        case .groupAnalysts(let ids): .json(200, object: ["group_analysts": ids])
        case .empty(let status): .empty(status)
        case .failure(let failure): failure.response
        }
    }

    static func envelope<Item>(_ page: ThinkificPage<Item>, _ render: (Item) -> [String: Any]) -> [String: Any] {
        let limit = page.request.limit
        let current = page.request.page
        let totalPages = (page.total + limit - 1) / limit
        let first = (current - 1) * limit + 1
        let entries = page.items.isEmpty ? "0-0 of \(page.total)" : "\(first)-\(first + page.items.count - 1) of \(page.total)"
        let pagination: [String: Any] = [
            "current_page": current,
            "next_page": current < totalPages ? current + 1 : NSNull(),
            "prev_page": current > 1 ? current - 1 : NSNull(),
            "total_pages": totalPages,
            "total_items": page.total,
            "entries_info": entries,
        ]
        return ["items": page.items.map(render), "meta": ["pagination": pagination]]
    }

    static func json(_ user: ThinkificUser) -> [String: Any] {
        [
            "id": user.id,
            "created_at": ThinkificTime.format(user.createdAt),
            "first_name": user.firstName,
            "last_name": user.lastName,
            "full_name": user.fullName,
            "company": nullable(user.company),
            "email": user.email,
            "roles": user.roles,
            "avatar_url": nullable(user.avatarURL),
            "bio": nullable(user.bio),
            "headline": nullable(user.headline),
            "affiliate_code": nullable(user.affiliateCode),
            "external_source": nullable(user.externalSource),
            "affiliate_commission": nullable(user.affiliateCommission),
            "affiliate_commission_type": nullable(user.affiliateCommissionType),
            "affiliate_payout_email": nullable(user.affiliatePayoutEmail),
            "administered_course_ids": [Int](),
            "custom_profile_fields": [Any](),
        ]
    }

    static func json(_ course: ThinkificCourse) -> [String: Any] {
        [
            "id": course.id,
            "name": course.name,
            "slug": course.slug,
            "subtitle": NSNull(),
            "product_id": course.productID,
            "description": NSNull(),
            "course_card_text": NSNull(),
            "intro_video_youtube": NSNull(),
            "contact_information": NSNull(),
            "keywords": NSNull(),
            "duration": NSNull(),
            "banner_image_url": NSNull(),
            "course_card_image_url": NSNull(),
            "intro_video_wistia_identifier": NSNull(),
            "administrator_user_ids": [Int](),
            "chapter_ids": course.chapterIDs,
            "reviews_enabled": course.reviewsEnabled,
            "user_id": NSNull(),
            "instructor_id": course.instructorID,
        ]
    }

    static func json(_ view: ThinkificEnrollmentView) -> [String: Any] {
        let enrollment = view.enrollment
        return [
            "id": enrollment.id,
            "user_email": view.userEmail,
            "user_name": view.userName,
            "user_id": enrollment.userID,
            "course_name": view.courseName,
            "course_id": enrollment.courseID,
            "percentage_completed": enrollment.percentageCompleted,
            "expired": view.isExpired,
            "is_free_trial": enrollment.isFreeTrial,
            "completed": enrollment.isCompleted,
            "started_at": nullable(enrollment.startedAt.map(ThinkificTime.format)),
            "activated_at": nullable(enrollment.activatedAt.map(ThinkificTime.format)),
            "completed_at": nullable(enrollment.completedAt.map(ThinkificTime.format)),
            "updated_at": ThinkificTime.format(enrollment.updatedAt),
            "expiry_date": nullable(enrollment.expiryDate.map(ThinkificTime.format)),
        ]
    }

    static func json(_ group: ThinkificGroup) -> [String: Any] {
        ["id": group.id, "name": group.name, "token": group.token, "created_at": ThinkificTime.format(group.createdAt)]
    }

    private static func nullable(_ value: Any?) -> Any {
        value ?? NSNull()
    }
}

extension ThinkificFailure {
    var response: HTTPResponse {
        switch self {
        case .authentication:
            .json(401, object: ["error": ThinkificMessage.authenticationError])
        case .recordNotFound:
            .json(404, object: ["error": ThinkificMessage.recordNotFound])
        case .routeNotFound:
            .json(404, object: ["error": ThinkificMessage.routeNotFound])
        case .malformedBody:
            .json(400, object: ["error": ThinkificMessage.malformedBody])
        case .fieldErrors(let errors):
            .json(422, object: ["errors": Dictionary(errors.map { ($0.field, $0.messages) }, uniquingKeysWith: +)])
        case .messages(let messages):
            .json(422, object: ["errors": messages])
        case .fieldMessages(let errors):
            .json(
                422,
                object: [
                    "errors": Dictionary(
                        errors.map { ($0.field, $0.messages.joined(separator: "; ")) }, uniquingKeysWith: { a, _ in a })
                ])
        case .analystNotFound(let errors):
            .json(404, object: ["error": Dictionary(errors.map { ($0.field, $0.messages) }, uniquingKeysWith: +)])
        }
    }
}
