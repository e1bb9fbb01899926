import Apply
import Foundation
import Live
import Operations
import Planner
import TestSupport
import Testing

/// The write methods' idempotent paths: "already exists" adopts, a lost answer is settled by a lookup, never twice.
@Suite struct ExecuteWriteTests {
    @Test func thinkificUserThatAlreadyExistsIsAdoptedFromThe422() async throws {
        let fake = WriteFake()
        fake.edit { $0.users = [.init(id: 7, email: "ana@pg.com", first: "Ana", last: "L")] }
        let result = try await fake.clients().thinkific!.createUser(email: "ANA@pg.com", firstName: "Ana", lastName: "L")
        #expect(result == WriteResult(id: 7, adopted: true, status: 422, attempts: 1))
        #expect(fake.snapshot.users.count == 1)
    }

    @Test func lostAnswerToAUserCreateIsFoundByLookupAndNotSentAgain() async throws {
        let fake = WriteFake()
        fake.inject("POST /users", .lose)
        let result = try await fake.clients().thinkific!.createUser(email: "bo@pg.com", firstName: "Bo", lastName: "K")
        #expect(fake.snapshot.users.map(\.email) == ["bo@pg.com"])
        #expect(result.id == fake.snapshot.users[0].id)
        #expect(result.adopted == false)
        #expect(fake.requests("POST", "/v1/users") == 1)
    }

    @Test func droppedUserCreateThatDidNotHappenIsSentAgainOnce() async throws {
        let fake = WriteFake()
        fake.inject("POST /users", .drop)
        let result = try await fake.clients().thinkific!.createUser(email: "cy@pg.com", firstName: "Cy", lastName: "K")
        #expect(fake.snapshot.users.count == 1)
        #expect(result.attempts == 2)
        #expect(fake.requests("POST", "/v1/users") == 2)
    }

    @Test func fiveHundredOnACreateIsCheckedBeforeRetrying() async throws {
        let fake = WriteFake()
        fake.inject("POST /users", .status(503), .lose)
        let result = try await fake.clients().thinkific!.createUser(email: "di@pg.com", firstName: "Di", lastName: "K")
        #expect(fake.snapshot.users.count == 1)
        #expect(result.attempts == 2)
    }

    @Test func existingEnrollmentIsUpdatedInsteadOfEnrollingTwice() async throws {
        let fake = WriteFake()
        fake.edit { $0.enrollments = [.init(id: 55, userID: 7, courseID: 3, activatedAt: "2025-01-01", expiry: "2025-12-31")] }
        let result = try await fake.clients().thinkific!.enroll(
            userID: 7, courseID: 3, activatedAt: "2026-05-04T00:00:00Z", expiryDate: "2026-12-18T23:59:59Z")
        #expect(result.id == 55 && result.adopted)
        #expect(fake.snapshot.enrollments.count == 1)
        #expect(fake.snapshot.enrollments[0].expiry == "2026-12-18T23:59:59Z")
        #expect(fake.snapshot.enrollments[0].activatedAt == "2026-05-04T00:00:00Z")
        #expect(fake.requests("POST", "/v1/enrollments") == 0)
    }

    @Test func lostEnrollmentAnswerMakesNoSecondEnrollment() async throws {
        let fake = WriteFake()
        fake.inject("POST /enrollments", .lose)
        let result = try await fake.clients().thinkific!.enroll(
            userID: 7, courseID: 3, activatedAt: "2026-05-04", expiryDate: "2026-12-18")
        #expect(fake.snapshot.enrollments.count == 1)
        #expect(result.id == fake.snapshot.enrollments[0].id)
    }

    @Test func groupOfTheSameNameIsAdoptedWithoutCreating() async throws {
        let fake = WriteFake()
        fake.edit { $0.groups = [(id: 9, name: "P&G 2026")] }
        let result = try await fake.clients().thinkific!.createGroup(name: "P&G 2026")
        #expect(result.id == 9 && result.adopted)
        #expect(fake.requests("POST", "/v1/groups") == 0)
    }

    @Test func expirySetsTheExpiryDateToNowAsAnInstant() async throws {
        let fake = WriteFake()
        fake.edit { $0.enrollments = [.init(id: 55, userID: 7, courseID: 3, activatedAt: nil, expiry: nil)] }
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let status = try await fake.clients().thinkific!.expireEnrollment(id: 55, now: now)
        #expect(status == 204)
        #expect(fake.snapshot.enrollments[0].expiry == "2026-09-21T14:13:20Z")
    }

    @Test func workosOrganizationWithTheExternalIDIsAdopted() async throws {
        let fake = WriteFake()
        fake.edit { $0.organizations = [(id: "org_1", externalID: "pg", name: "P&G")] }
        let result = try await fake.clients().workos!.createOrganization(
            externalID: "pg", name: "P&G", domains: ["pg.com"], idempotencyKey: "k1")
        #expect(result == WriteResult(id: "org_1", adopted: true, status: 400, attempts: 1))
        #expect(fake.snapshot.organizations.count == 1)
    }

    @Test func workosCreateIsResentWithTheSameIdempotencyKeyAfterALostAnswer() async throws {
        let fake = WriteFake()
        fake.inject("POST /organizations", .lose)
        let result = try await fake.clients().workos!.createOrganization(
            externalID: "pg", name: "P&G", domains: ["pg.com"], idempotencyKey: "key-42")
        #expect(fake.snapshot.organizations.count == 1)
        #expect(result.id == fake.snapshot.organizations[0].id)
        let posts = fake.transport.requests.filter { $0.method == "POST" }
        #expect(posts.count == 2)
        #expect(posts.allSatisfy { $0.header("Idempotency-Key") == "key-42" })
    }

    @Test(arguments: [200, 204])
    func scimUserTakenIsAdoptedAndReactivatedWhateverPatchAnswers(patchStatus: Int) async throws {
        let fake = WriteFake()
        fake.edit {
            $0.scimUsers = [.init(id: "u1", userName: "Ana@pg.com", active: false)]
            $0.patchStatus = patchStatus
        }
        let result = try await fake.clients().scim["insights"]!.createUser(
            userName: "ana@pg.com", externalID: nil, givenName: "Ana", familyName: "L")
        #expect(result.id == "u1" && result.adopted)
        #expect(result.status == patchStatus)
        #expect(fake.snapshot.scimUsers.map(\.active) == [true])
    }

    @Test func lostSCIMCreateMakesNoSecondUser() async throws {
        let fake = WriteFake()
        fake.inject("POST /Users", .lose)
        let result = try await fake.clients().scim["insights"]!.createUser(
            userName: "bo@pg.com", externalID: "e1", givenName: "Bo", familyName: "K")
        #expect(fake.snapshot.scimUsers.count == 1)
        #expect(result.id == fake.snapshot.scimUsers[0].id)
    }

    @Test func scimMembersAreAddedAndRemovedWithThePatchFormsTheServerAccepts() async throws {
        let fake = WriteFake()
        fake.edit { $0.scimGroups = [.init(id: "g1", name: "learners", members: ["u0"])] }
        let client = fake.clients().scim["insights"]!
        _ = try await client.addMember(groupID: "g1", userID: "u9")
        _ = try await client.removeMember(groupID: "g1", userID: "u0")
        #expect(fake.snapshot.scimGroups[0].members == ["u9"])
        let patch = try #require(fake.transport.requests.last?.body)
        #expect(String(decoding: patch, as: UTF8.self).contains(#"members[value eq \"u0\"]"#))
        #expect(fake.transport.requests.last?.header("Content-Type") == "application/scim+json")
    }
}
