import Foundation
import Sandbox
import Testing

@Suite struct ThinkificCoursesTests {
    @Test func listAndGetCarryTheRequiredCourseFields() throws {
        let harness = try ThinkificHarness()
        let list = harness.send("GET", "/courses")
        #expect(list.status == 200)
        #expect(list.ids == [101, 102, 103, 104])
        #expect(list.pagination["entries_info"] as? String == "1-4 of 4")
        let course = harness.send("GET", "/courses/102").object
        #expect(course["name"] as? String == "Leading Teams")
        #expect(course["slug"] as? String == "leading-teams")
        for field in ["chapter_ids", "id", "instructor_id", "name", "product_id", "reviews_enabled"] {
            #expect(course[field] != nil, "missing \(field)")
        }
        #expect(course["product_id"] as? Int != 102)
        #expect(harness.send("GET", "/courses/999").status == 404)
    }
}

@Suite struct ThinkificEnrollmentsTests {
    static let fields: Set<String> = [
        "id", "user_email", "user_name", "user_id", "course_name", "course_id", "percentage_completed", "expired",
        "is_free_trial", "completed", "started_at", "activated_at", "completed_at", "updated_at", "expiry_date",
    ]

    @Test func createWithoutActivatedAtIsAFreeTrial() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        let answer = harness.send("POST", "/enrollments", json: ["user_id": user, "course_id": 101])
        #expect(answer.status == 201)
        let enrollment = answer.object
        #expect(Set(enrollment.keys) == Self.fields)
        #expect(enrollment["is_free_trial"] as? Bool == true)
        #expect(enrollment["activated_at"] is NSNull)
        #expect(enrollment["expiry_date"] is NSNull)
        #expect(enrollment["expired"] as? Bool == false)
        #expect(enrollment["completed"] as? Bool == false)
        #expect(enrollment["percentage_completed"] as? Double == 0)
        #expect(enrollment["user_email"] as? String == "ana@pg.com")
        #expect(enrollment["user_name"] as? String == "Ana Garcia")
        #expect(enrollment["course_name"] as? String == "Conscious Leadership Foundations")
    }

    @Test func createWithActivatedAtIsFull() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        let answer = harness.send(
            "POST", "/enrollments", json: ["user_id": user, "course_id": 101, "activated_at": "2026-01-05T09:30:00Z"])
        #expect(answer.object["is_free_trial"] as? Bool == false)
        #expect(answer.object["activated_at"] as? String == "2026-01-05T09:30:00.000Z")
    }

    @Test func unknownUserOrCourseIs422BareArray() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        let noUser = harness.send("POST", "/enrollments", json: ["user_id": 999, "course_id": 101])
        #expect(noUser.status == 422)
        #expect(noUser.json as? [String: [String]] == ["errors": ["User could not be found."]])
        let noCourse = harness.send("POST", "/enrollments", json: ["user_id": user, "course_id": 9])
        #expect(noCourse.json as? [String: [String]] == ["errors": ["Course could not be found."]])
        let badDate = harness.send("POST", "/enrollments", json: ["user_id": user, "course_id": 101, "expiry_date": "soon"])
        #expect(badDate.status == 422)
    }

    @Test func enrollingTwiceIs422AlreadyEnrolled() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        try harness.enroll(user: user, course: 101)
        let again = harness.send("POST", "/enrollments", json: ["user_id": user, "course_id": 101])
        #expect(again.status == 422)
        #expect(again.json as? [String: [String]] == ["errors": ["User is already enrolled in this course"]])
        #expect(harness.send("GET", "/enrollments", query: [("query[user_id]", "\(user)")]).items.count == 1)
    }

    @Test func expiredIsDerivedFromTheClock() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        let expiry = harness.clock.now.addingTimeInterval(3600)
        let id = try harness.enroll(
            user: user, course: 101, activatedAt: "2026-01-01T00:00:00Z", expiry: ThinkificTestClockFormat.format(expiry))
        #expect(harness.send("GET", "/enrollments/\(id)").object["expired"] as? Bool == false)
        #expect(harness.send("GET", "/enrollments", query: [("query[expired]", "true")]).items.isEmpty)
        harness.clock.advance(by: 3600)
        #expect(harness.send("GET", "/enrollments/\(id)").object["expired"] as? Bool == true)
        #expect(harness.send("GET", "/enrollments", query: [("query[expired]", "true")]).ids == [id])
        #expect(harness.send("GET", "/enrollments", query: [("query[expired]", "false")]).items.isEmpty)
    }

    @Test func updateExpiresAndActivatesWith204AndKeepsProgress() throws {
        let seed = ThinkificSeed(sites: [
            .init(
                subdomain: "stoic", courses: [.init(id: 101, name: "Foundations", slug: "foundations")],
                users: [.init(email: "ana@pg.com", firstName: "Ana", lastName: "Garcia")],
                enrollments: [.init(email: "ana@pg.com", courseID: 101, percentageCompleted: 0.6)])
        ])
        let harness = try ThinkificHarness(seed)
        let id = try #require(harness.send("GET", "/enrollments").ids.first)
        let before = harness.send("GET", "/enrollments/\(id)").object
        #expect(before["is_free_trial"] as? Bool == true)

        let yesterday = ThinkificTestClockFormat.format(harness.clock.now.addingTimeInterval(-86_400))
        harness.clock.advance(by: 5)
        let update = harness.send("PUT", "/enrollments/\(id)", json: ["expiry_date": yesterday, "activated_at": "2026-01-01"])
        #expect(update.status == 204)
        #expect(update.body.isEmpty)
        let after = harness.send("GET", "/enrollments/\(id)").object
        #expect(after["expired"] as? Bool == true)
        #expect(after["is_free_trial"] as? Bool == false)
        #expect(after["percentage_completed"] as? Double == 0.6)
        #expect(after["updated_at"] as? String != before["updated_at"] as? String)

        #expect(harness.send("PUT", "/enrollments/\(id)", json: ["expiry_date": NSNull()]).status == 204)
        #expect(harness.send("GET", "/enrollments/\(id)").object["expired"] as? Bool == false)
        #expect(harness.send("PUT", "/enrollments/999", json: [:]).status == 404)
    }

    @Test func listFiltersByUserCourseAndEmail() throws {
        let harness = try ThinkificHarness()
        let ana = try harness.createUser("ana@pg.com")
        let ben = try harness.createUser("ben@pg.com")
        let a1 = try harness.enroll(user: ana, course: 101)
        let a2 = try harness.enroll(user: ana, course: 102)
        let b1 = try harness.enroll(user: ben, course: 101)
        #expect(harness.send("GET", "/enrollments").ids == [a1, a2, b1])
        #expect(harness.send("GET", "/enrollments", query: [("query[user_id]", "\(ana)")]).ids == [a1, a2])
        #expect(harness.send("GET", "/enrollments", query: [("query[course_id]", "101")]).ids == [a1, b1])
        #expect(harness.send("GET", "/enrollments", query: [("query[email]", "BEN@pg.com")]).ids == [b1])
        let both = harness.send("GET", "/enrollments", query: [("query[user_id]", "\(ana)"), ("query[course_id]", "102")])
        #expect(both.ids == [a2])
        #expect(harness.send("GET", "/enrollments", query: [("query[email]", "nobody@pg.com")]).items.isEmpty)
        #expect(harness.send("GET", "/enrollments", query: [("query[free_trial]", "true")]).ids == [a1, a2, b1])
        #expect(harness.send("GET", "/enrollments", query: [("query[full]", "true")]).items.isEmpty)
        #expect(harness.send("GET", "/enrollments/\(a2)").object["course_id"] as? Int == 102)
        #expect(harness.send("GET", "/enrollments/999").status == 404)
    }
}
