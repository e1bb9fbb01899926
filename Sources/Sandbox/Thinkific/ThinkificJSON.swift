import Foundation

// The JSON shapes of the Admin API's responses, written field by field through the sandbox's `JSONWriter` (keys
// in byte order, as sorted keys always gave them). Every documented field is written, unset ones as `null`.

/// `{"items":[…],"meta":{"pagination":{…}}}`.
struct ThinkificPageBody<Body: JSONWritable>: JSONWritable {
    var items: [Body]
    var pagination: ThinkificPaginationBody

    init<Item>(_ page: ThinkificPage<Item>, _ render: (Item) -> Body) {
        items = page.items.map(render)
        pagination = ThinkificPaginationBody(page.request, count: page.items.count, total: page.total)
    }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("items")
        writer.writeArray(items) { writer, item in item.write(into: &writer) }
        writer.key("meta")
        writer.beginObject()
        writer.key("pagination")
        pagination.write(into: &writer)
        writer.endObject()
        writer.endObject()
    }
}

struct ThinkificPaginationBody: JSONWritable {
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
        // Only a page with items names a range, and such a page starts before `total`, so this cannot overflow;
        // saturating keeps it so whatever page a client asks for.
        let first = (currentPage - 1).saturatingMultiply(limit).saturatingAdd(1)
        entriesInfo = count == 0 ? "0-0 of \(total)" : "\(first)-\(first.saturatingAdd(count - 1)) of \(total)"
    }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("current_page")
        writer.write(int: currentPage)
        writer.key("entries_info")
        writer.write(string: entriesInfo)
        writer.key("next_page")
        writer.write(int: nextPage)
        writer.key("prev_page")
        writer.write(int: prevPage)
        writer.key("total_items")
        writer.write(int: totalItems)
        writer.key("total_pages")
        writer.write(int: totalPages)
        writer.endObject()
    }
}

/// `UserResponse`.
struct ThinkificUserBody: JSONWritable {
    var user: ThinkificUser

    init(_ user: ThinkificUser) { self.user = user }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("administered_course_ids")
        writer.writeArray([Int]()) { writer, id in writer.write(int: id) }
        writer.key("affiliate_code")
        writer.write(string: user.affiliateCode)
        writer.key("affiliate_commission")
        writer.write(double: user.affiliateCommission)
        writer.key("affiliate_commission_type")
        writer.write(string: user.affiliateCommissionType)
        writer.key("affiliate_payout_email")
        writer.write(string: user.affiliatePayoutEmail)
        writer.key("avatar_url")
        writer.write(string: user.avatarURL)
        writer.key("bio")
        writer.write(string: user.bio)
        writer.key("company")
        writer.write(string: user.company)
        writer.key("created_at")
        writer.write(string: Timestamp.format(user.createdAt))
        writer.key("custom_profile_fields")
        writer.writeArray([Int]()) { writer, id in writer.write(int: id) }
        writer.key("email")
        writer.write(string: user.email)
        writer.key("external_source")
        writer.write(string: user.externalSource)
        writer.key("first_name")
        writer.write(string: user.firstName)
        writer.key("full_name")
        writer.write(string: user.fullName)
        writer.key("headline")
        writer.write(string: user.headline)
        writer.key("id")
        writer.write(int: user.id)
        writer.key("last_name")
        writer.write(string: user.lastName)
        writer.key("roles")
        writer.writeArray(user.roles) { writer, role in writer.write(string: role) }
        writer.endObject()
    }
}

/// `CourseResponse`: the seeded fields; the rest of the documented ones are `null` or empty.
struct ThinkificCourseBody: JSONWritable {
    var course: ThinkificCourse

    init(_ course: ThinkificCourse) { self.course = course }

    func write(into writer: inout JSONWriter) {
        func null(_ key: String) {
            writer.key(key)
            writer.writeNull()
        }
        writer.beginObject()
        writer.key("administrator_user_ids")
        writer.writeArray([Int]()) { writer, id in writer.write(int: id) }
        null("banner_image_url")
        writer.key("chapter_ids")
        writer.writeArray(course.chapterIDs) { writer, id in writer.write(int: id) }
        null("contact_information")
        null("course_card_image_url")
        null("course_card_text")
        null("description")
        null("duration")
        writer.key("id")
        writer.write(int: course.id)
        writer.key("instructor_id")
        writer.write(int: course.instructorID)
        null("intro_video_wistia_identifier")
        null("intro_video_youtube")
        null("keywords")
        writer.key("name")
        writer.write(string: course.name)
        writer.key("product_id")
        writer.write(int: course.productID)
        writer.key("reviews_enabled")
        writer.write(bool: course.reviewsEnabled)
        writer.key("slug")
        writer.write(string: course.slug)
        null("subtitle")
        null("user_id")
        writer.endObject()
    }
}

/// `EnrollmentResponse`.
struct ThinkificEnrollmentBody: JSONWritable {
    var view: ThinkificEnrollmentView

    init(_ view: ThinkificEnrollmentView) { self.view = view }

    func write(into writer: inout JSONWriter) {
        let enrollment = view.enrollment
        writer.beginObject()
        writer.key("activated_at")
        writer.write(string: enrollment.activatedAt.map(Timestamp.format))
        writer.key("completed")
        writer.write(bool: enrollment.isCompleted)
        writer.key("completed_at")
        writer.write(string: enrollment.completedAt.map(Timestamp.format))
        writer.key("course_id")
        writer.write(int: enrollment.courseID)
        writer.key("course_name")
        writer.write(string: view.courseName)
        writer.key("expired")
        writer.write(bool: view.isExpired)
        writer.key("expiry_date")
        writer.write(string: enrollment.expiryDate.map(Timestamp.format))
        writer.key("id")
        writer.write(int: enrollment.id)
        writer.key("is_free_trial")
        writer.write(bool: enrollment.isFreeTrial)
        writer.key("percentage_completed")
        writer.write(double: enrollment.percentageCompleted)
        writer.key("started_at")
        writer.write(string: enrollment.startedAt.map(Timestamp.format))
        writer.key("updated_at")
        writer.write(string: Timestamp.format(enrollment.updatedAt))
        writer.key("user_email")
        writer.write(string: view.userEmail)
        writer.key("user_id")
        writer.write(int: enrollment.userID)
        writer.key("user_name")
        writer.write(string: view.userName)
        writer.endObject()
    }
}

/// `GroupResponse`.
struct ThinkificGroupBody: JSONWritable {
    var group: ThinkificGroup

    init(_ group: ThinkificGroup) { self.group = group }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("created_at")
        writer.write(string: Timestamp.format(group.createdAt))
        writer.key("id")
        writer.write(int: group.id)
        writer.key("name")
        writer.write(string: group.name)
        writer.key("token")
        writer.write(string: group.token)
        writer.endObject()
    }
}
