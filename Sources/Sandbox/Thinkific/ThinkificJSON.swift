import Foundation

// The JSON shapes of the Admin API's responses. Every documented field is written, unset ones as `null`
// (`encode` of an optional writes `null`; synthesized conformances would leave the key out).

/// `{"items":[…],"meta":{"pagination":{…}}}`.
struct ThinkificPageBody<Body: Encodable>: Encodable {
    var items: [Body]
    var pagination: ThinkificPaginationBody

    init<Item>(_ page: ThinkificPage<Item>, _ render: (Item) -> Body) {
        items = page.items.map(render)
        pagination = ThinkificPaginationBody(page.request, count: page.items.count, total: page.total)
    }

    enum CodingKeys: String, CodingKey { case items, meta }
    enum MetaKeys: String, CodingKey { case pagination }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        var meta = container.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
        try meta.encode(pagination, forKey: .pagination)
    }
}

struct ThinkificPaginationBody: Encodable {
    var currentPage: Int
    var nextPage: Int?
    var prevPage: Int?
    var totalPages: Int
    var totalItems: Int
    /// `"26-40 of 40"`; `"0-0 of N"` for an empty page.
    var entriesInfo: String

    init(_ request: ThinkificPageRequest, count: Int, total: Int) {
        let limit = request.limit
        currentPage = request.page
        totalPages = (total + limit - 1) / limit
        totalItems = total
        nextPage = currentPage < totalPages ? currentPage + 1 : nil
        prevPage = currentPage > 1 ? currentPage - 1 : nil
        let first = (currentPage - 1) * limit + 1
        entriesInfo = count == 0 ? "0-0 of \(total)" : "\(first)-\(first + count - 1) of \(total)"
    }

    enum CodingKeys: String, CodingKey {
        case currentPage = "current_page", nextPage = "next_page", prevPage = "prev_page", totalPages = "total_pages"
        case totalItems = "total_items", entriesInfo = "entries_info"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currentPage, forKey: .currentPage)
        try container.encode(nextPage, forKey: .nextPage)
        try container.encode(prevPage, forKey: .prevPage)
        try container.encode(totalPages, forKey: .totalPages)
        try container.encode(totalItems, forKey: .totalItems)
        try container.encode(entriesInfo, forKey: .entriesInfo)
    }
}

/// `UserResponse`.
struct ThinkificUserBody: Encodable {
    var user: ThinkificUser

    init(_ user: ThinkificUser) { self.user = user }

    enum CodingKeys: String, CodingKey {
        case id, email, company, roles, bio, headline
        case createdAt = "created_at", firstName = "first_name", lastName = "last_name", fullName = "full_name"
        case avatarURL = "avatar_url", affiliateCode = "affiliate_code", externalSource = "external_source"
        case affiliateCommission = "affiliate_commission", affiliateCommissionType = "affiliate_commission_type"
        case affiliatePayoutEmail = "affiliate_payout_email", administeredCourseIDs = "administered_course_ids"
        case customProfileFields = "custom_profile_fields"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user.id, forKey: .id)
        try container.encode(ThinkificTime.format(user.createdAt), forKey: .createdAt)
        try container.encode(user.firstName, forKey: .firstName)
        try container.encode(user.lastName, forKey: .lastName)
        try container.encode(user.fullName, forKey: .fullName)
        try container.encode(user.company, forKey: .company)
        try container.encode(user.email, forKey: .email)
        try container.encode(user.roles, forKey: .roles)
        try container.encode(user.avatarURL, forKey: .avatarURL)
        try container.encode(user.bio, forKey: .bio)
        try container.encode(user.headline, forKey: .headline)
        try container.encode(user.affiliateCode, forKey: .affiliateCode)
        try container.encode(user.externalSource, forKey: .externalSource)
        try container.encode(user.affiliateCommission, forKey: .affiliateCommission)
        try container.encode(user.affiliateCommissionType, forKey: .affiliateCommissionType)
        try container.encode(user.affiliatePayoutEmail, forKey: .affiliatePayoutEmail)
        try container.encode([Int](), forKey: .administeredCourseIDs)
        try container.encode([Int](), forKey: .customProfileFields)
    }
}

/// `CourseResponse`: the seeded fields; the rest of the documented ones are `null` or empty.
struct ThinkificCourseBody: Encodable {
    var course: ThinkificCourse

    init(_ course: ThinkificCourse) { self.course = course }

    enum CodingKeys: String, CodingKey {
        case id, name, slug, subtitle, description, keywords, duration
        case productID = "product_id", courseCardText = "course_card_text", introVideoYoutube = "intro_video_youtube"
        case contactInformation = "contact_information", bannerImageURL = "banner_image_url"
        case courseCardImageURL = "course_card_image_url", introVideoWistiaIdentifier = "intro_video_wistia_identifier"
        case administratorUserIDs = "administrator_user_ids", chapterIDs = "chapter_ids"
        case reviewsEnabled = "reviews_enabled", userID = "user_id", instructorID = "instructor_id"
    }

    static let nullFields: [CodingKeys] = [
        .subtitle, .description, .courseCardText, .introVideoYoutube, .contactInformation, .keywords, .duration,
        .bannerImageURL, .courseCardImageURL, .introVideoWistiaIdentifier, .userID,
    ]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(course.id, forKey: .id)
        try container.encode(course.name, forKey: .name)
        try container.encode(course.slug, forKey: .slug)
        try container.encode(course.productID, forKey: .productID)
        try container.encode(course.chapterIDs, forKey: .chapterIDs)
        try container.encode(course.reviewsEnabled, forKey: .reviewsEnabled)
        try container.encode(course.instructorID, forKey: .instructorID)
        try container.encode([Int](), forKey: .administratorUserIDs)
        for key in Self.nullFields {
            try container.encodeNil(forKey: key)
        }
    }
}

/// `EnrollmentResponse`.
struct ThinkificEnrollmentBody: Encodable {
    var view: ThinkificEnrollmentView

    init(_ view: ThinkificEnrollmentView) { self.view = view }

    enum CodingKeys: String, CodingKey {
        case id, expired, completed
        case userEmail = "user_email", userName = "user_name", userID = "user_id", courseName = "course_name"
        case courseID = "course_id", percentageCompleted = "percentage_completed", isFreeTrial = "is_free_trial"
        case startedAt = "started_at", activatedAt = "activated_at", completedAt = "completed_at"
        case updatedAt = "updated_at", expiryDate = "expiry_date"
    }

    func encode(to encoder: any Encoder) throws {
        let enrollment = view.enrollment
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enrollment.id, forKey: .id)
        try container.encode(view.userEmail, forKey: .userEmail)
        try container.encode(view.userName, forKey: .userName)
        try container.encode(enrollment.userID, forKey: .userID)
        try container.encode(view.courseName, forKey: .courseName)
        try container.encode(enrollment.courseID, forKey: .courseID)
        try container.encode(enrollment.percentageCompleted, forKey: .percentageCompleted)
        try container.encode(view.isExpired, forKey: .expired)
        try container.encode(enrollment.isFreeTrial, forKey: .isFreeTrial)
        try container.encode(enrollment.isCompleted, forKey: .completed)
        try container.encode(enrollment.startedAt.map(ThinkificTime.format), forKey: .startedAt)
        try container.encode(enrollment.activatedAt.map(ThinkificTime.format), forKey: .activatedAt)
        try container.encode(enrollment.completedAt.map(ThinkificTime.format), forKey: .completedAt)
        try container.encode(ThinkificTime.format(enrollment.updatedAt), forKey: .updatedAt)
        try container.encode(enrollment.expiryDate.map(ThinkificTime.format), forKey: .expiryDate)
    }
}

/// `GroupResponse`.
struct ThinkificGroupBody: Encodable {
    var group: ThinkificGroup

    init(_ group: ThinkificGroup) { self.group = group }

    enum CodingKeys: String, CodingKey { case id, name, token, createdAt = "created_at" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group.id, forKey: .id)
        try container.encode(group.name, forKey: .name)
        try container.encode(group.token, forKey: .token)
        try container.encode(ThinkificTime.format(group.createdAt), forKey: .createdAt)
    }
}
