import Foundation
import Live
import Synchronization
import TestSupport
import Testing

/// A Thinkific site for write tests: users, groups with members and enrollments answered from state, and the POSTs
/// under test answered from a script (then from state). Every request is recorded.
final class ScriptedThinkific: Sendable {
    struct State {
        var users: [(id: Int, email: String)] = []
        var groups: [(id: Int, name: String)] = []
        var members: [Int: Set<Int>] = [:]
        var enrollments: [(id: Int, userID: Int, courseID: Int, expiry: String?)] = []
        /// Replies for POSTs, by path, used before state answers.
        var script: [String: [RecordedTransport.Reply]] = [:]
        /// What each POST does to the state even when its scripted answer is a failure (a lost answer, a 5xx).
        var effects: [String: [Bool]] = [:]
    }

    let state: Mutex<State>

    init(_ state: State) {
        self.state = Mutex(state)
    }

    func client() -> (ThinkificClient, RecordedTransport) {
        let transport = RecordedTransport(handler: { self.handle($0) })
        let policy = ChannelPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01)
        let connection = ThinkificClient.channel(
            subdomain: "stoic", apiKey: Secret("key"), baseURL: "https://api.thinkific.test/api/public/v1", policy: policy,
            transport: transport, environment: TestClock().environment)
        return (ThinkificClient(channel: connection), transport)
    }

    static func page(_ items: [[String: Any]]) -> RecordedTransport.Reply {
        let meta: [String: Any] = [
            "pagination": ["current_page": 1, "next_page": NSNull(), "total_pages": 1, "total_items": items.count]
        ]
        let body = try? JSONSerialization.data(withJSONObject: ["items": items, "meta": meta])
        return .response(TransportResponse(status: 200, body: body ?? Data()))
    }

    func handle(_ request: TransportRequest) -> RecordedTransport.Reply {
        let path = request.url.path.replacingOccurrences(of: "/api/public/v1", with: "")
        return state.withLock { state in
            if request.method == "POST" {
                let body = (request.body.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
                let effect = state.effects[path]?.isEmpty == false ? state.effects[path]!.removeFirst() : true
                if effect { Self.apply(path, body, &state) }
                if state.script[path]?.isEmpty == false { return state.script[path]!.removeFirst() }
                return .status(201)
            }
            return Self.read(request, path, state)
        }
    }

    private static func apply(_ path: String, _ body: [String: Any], _ state: inout State) {
        switch path {
        case "/group_users":
            let userID = body["user_id"] as? Int ?? 0
            for name in body["group_names"] as? [String] ?? [] {
                guard let group = state.groups.first(where: { $0.name == name }) else { continue }
                state.members[group.id, default: []].insert(userID)
            }
        case "/enrollments":
            let userID = body["user_id"] as? Int ?? 0
            let courseID = body["course_id"] as? Int ?? 0
            let expiry = body["expiry_date"] as? String
            if let index = state.enrollments.firstIndex(where: { $0.userID == userID && $0.courseID == courseID }) {
                state.enrollments[index].expiry = expiry
            } else {
                state.enrollments.append((900 + state.enrollments.count, userID, courseID, expiry))
            }
        default:
            break
        }
    }

    private static func read(_ request: TransportRequest, _ path: String, _ state: State) -> RecordedTransport.Reply {
        switch path {
        case "/groups":
            return page(state.groups.map { ["id": $0.id, "name": $0.name] })
        case "/users":
            var users = state.users
            if let group = request.query("query[group_id]").flatMap(Int.init) {
                users = users.filter { state.members[group]?.contains($0.id) ?? false }
            }
            if let email = request.query("query[email]") { users = users.filter { $0.email == email } }
            return page(users.map { ["id": $0.id, "email": $0.email, "first_name": "F", "last_name": "L"] })
        case "/enrollments":
            let userID = request.query("query[user_id]").flatMap { Int($0) }
            let rows = state.enrollments.filter { row in userID == nil || userID == row.userID }
            return page(rows.map(enrollmentJSON))
        default:
            if path.hasPrefix("/enrollments/"), let id = Int(path.dropFirst("/enrollments/".count)),
                let row = state.enrollments.first(where: { $0.id == id })
            {
                let body = try? JSONSerialization.data(withJSONObject: enrollmentJSON(row))
                return .response(TransportResponse(status: 200, body: body ?? Data()))
            }
            return .json(404, #"{"error":"Record not found."}"#)
        }
    }

    private static func enrollmentJSON(_ row: (id: Int, userID: Int, courseID: Int, expiry: String?)) -> [String: Any] {
        [
            "id": row.id, "user_id": row.userID, "course_id": row.courseID, "user_email": "u\(row.userID)@pg.com",
            "activated_at": "2026-05-04T00:00:00Z", "expiry_date": row.expiry ?? NSNull(),
        ]
    }
}

extension RecordedTransport {
    func posts(_ path: String) -> [TransportRequest] {
        requests.filter { $0.method == "POST" && $0.url.path.hasSuffix(path) }
    }
}

/// Issue 10's Thinkific items on the client: a lookup decides after any refusal, group memberships are never resent
/// blindly, an expiry is never cleared with `null`.
@Suite struct ThinkificVendorQuirksTests {
    static let site = ScriptedThinkific.State(
        users: [(7, "ana@pg.com")], groups: [(1, "P&G 2026"), (2, "P&G Managers")])

    // MARK: - Item 2: any 4xx on a create, a lookup decides

    @Test(arguments: [400, 403, 404, 409, 422])
    func aCreateUserRefusedWithAny4xxIsAdoptedWhenTheLookupFindsTheUser(status: Int) async throws {
        var state = Self.site
        state.script["/users"] = [.json(status, #"{"errors":{"email":["est déjà pris"]}}"#)]
        let (client, transport) = ScriptedThinkific(state).client()
        let result = try await client.createUser(email: "ana@pg.com", firstName: "Ana", lastName: "G")
        #expect(result.id == 7)
        #expect(result.adopted)
        #expect(transport.posts("/users").count == 1)
    }

    @Test func aRefusedCreateUserWithNobodyFoundFailsWithTheServersAnswer() async throws {
        var state = Self.site
        state.script["/users"] = [.json(422, #"{"errors":{"first_name":["can't be blank"]}}"#)]
        let (client, _) = ScriptedThinkific(state).client()
        await #expect(throws: LiveError.self) {
            _ = try await client.createUser(email: "bo@pg.com", firstName: "", lastName: "K")
        }
    }

    @Test func anEnrollmentRefusedInAnyWordsIsAdoptedWhenTheLookupFindsIt() async throws {
        var state = Self.site
        state.enrollments = [(55, 7, 101, "2026-12-18T23:59:59Z")]
        state.script["/enrollments"] = [.json(422, #"{"errors":["Something went wrong."]}"#)]
        state.effects["/enrollments"] = [false]
        let (client, transport) = ScriptedThinkific(state).client()
        let result = try await client.enroll(
            userID: 7, courseID: 101, activatedAt: "2026-05-04T00:00:00Z", expiryDate: "2026-12-18T23:59:59Z",
            knownAbsent: true)
        #expect(result.id == 55)
        #expect(result.adopted)
        #expect(transport.posts("/enrollments").count == 1)
    }

    // MARK: - Item 4: POST /group_users after an ambiguous failure

    @Test func aLostGroupUsersAnswerIsSettledByMembershipNotResent() async throws {
        var state = Self.site
        state.script["/group_users"] = [.failure(.timedOut(host: "api.thinkific.test", seconds: 30))]
        let (client, transport) = ScriptedThinkific(state).client()
        let result = try await client.addToGroups(userID: 7, groups: ["P&G 2026", "P&G Managers"])
        #expect(!result.adopted)
        #expect(transport.posts("/group_users").count == 1)
        #expect(transport.requests.contains { $0.query("query[group_id]") == "1" })
    }

    @Test(arguments: [500, 502, 520, 524])
    func aGroupUsers5xxThatDidNothingIsResentForTheMissingGroupsOnly(status: Int) async throws {
        var state = Self.site
        state.members[1] = [7]
        state.script["/group_users"] = [.status(status)]
        state.effects["/group_users"] = [false]
        let scripted = ScriptedThinkific(state)
        let (client, transport) = scripted.client()
        let result = try await client.addToGroups(userID: 7, groups: ["P&G Managers"])
        #expect(result.attempts == 2)
        let posts = transport.posts("/group_users")
        #expect(posts.count == 2)
        let resent = try JSONSerialization.jsonObject(with: posts[1].body ?? Data()) as? [String: Any]
        #expect(resent?["group_names"] as? [String] == ["P&G Managers"])
        #expect(scripted.state.withLock { $0.members[2] } == [7])
    }

    @Test func aGroupUsersRefusalStandsUnlessTheUserIsAlreadyAMember() async throws {
        var member = Self.site
        member.members[1] = [7]
        member.script["/group_users"] = [.json(422, #"{"errors":["Invalid group_names"]}"#)]
        let (adopting, _) = ScriptedThinkific(member).client()
        let adopted = try await adopting.addToGroups(userID: 7, groups: ["P&G 2026"])
        #expect(adopted.adopted)

        var missing = Self.site
        missing.script["/group_users"] = [.json(422, #"{"errors":["Invalid group_names"]}"#)]
        missing.effects["/group_users"] = [false]
        let (refused, transport) = ScriptedThinkific(missing).client()
        await #expect(throws: LiveError.self) { _ = try await refused.addToGroups(userID: 7, groups: ["Nope"]) }
        #expect(transport.posts("/group_users").count == 1)
    }

    // MARK: - Item 3: no `expiry_date: null`

    @Test func clearingAnExpiryReEnrollsWithoutNullAndChecksTheResult() async throws {
        var state = Self.site
        state.enrollments = [(55, 7, 101, "2026-12-18T23:59:59Z")]
        let (client, transport) = ScriptedThinkific(state).client()
        _ = try await client.updateEnrollment(id: 55, activatedAt: nil, expiryDate: nil, clearsExpiry: true)
        for request in transport.requests {
            let text = String(decoding: request.body ?? Data(), as: UTF8.self)
            #expect(!text.contains("null"), "\(request.method) \(request.url.path): \(text)")
        }
        #expect(!transport.requests.contains { $0.method == "PUT" })
        let post = try #require(transport.posts("/enrollments").first)
        let body = try JSONSerialization.jsonObject(with: post.body ?? Data()) as? [String: Any]
        #expect(body?["expiry_date"] == nil)
        #expect(body?["activated_at"] as? String == "2026-05-04T00:00:00Z")
    }

    @Test func anExpiryTheReEnrollmentDidNotClearIsAFailureNotASilentSuccess() async throws {
        var state = Self.site
        state.enrollments = [(55, 7, 101, "2026-12-18T23:59:59Z")]
        state.script["/enrollments"] = [.json(422, #"{"errors":["User is already enrolled in this course"]}"#)]
        state.effects["/enrollments"] = [false]
        let (client, _) = ScriptedThinkific(state).client()
        await #expect(
            throws: LiveError.expiryNotCleared(
                enrollmentID: 55, reason: "it still has an expiry; the re-enrollment answered 422")
        ) {
            _ = try await client.updateEnrollment(id: 55, activatedAt: nil, expiryDate: nil, clearsExpiry: true)
        }
    }

    @Test func aReEnrollmentThatMadeASecondEnrollmentIsReportedNotHidden() async throws {
        var state = Self.site
        state.enrollments = [(55, 7, 101, "2026-12-18T23:59:59Z"), (56, 7, 101, nil)]
        state.effects["/enrollments"] = [false]
        let (client, _) = ScriptedThinkific(state).client()
        await #expect(throws: LiveError.self) {
            _ = try await client.updateEnrollment(id: 55, activatedAt: nil, expiryDate: nil, clearsExpiry: true)
        }
    }

    // MARK: - Item 5: nulls in listings

    @Test func oneRowWithNullsDoesNotFailTheListing() async throws {
        let transport = RecordedTransport(handler: { request in
            switch request.url.path {
            case let path where path.hasSuffix("/enrollments"):
                return ScriptedThinkific.page([
                    ["id": 1, "user_id": 7, "course_id": 101, "user_email": NSNull(), "expiry_date": NSNull()],
                    ["id": 2, "user_id": 8, "course_id": 101, "user_email": "bo@pg.com", "activated_at": NSNull()],
                ])
            case let path where path.hasSuffix("/users"):
                return ScriptedThinkific.page([
                    ["id": 7, "email": NSNull(), "first_name": NSNull()], ["id": 8, "email": "bo@pg.com"],
                ])
            case let path where path.hasSuffix("/groups"):
                return ScriptedThinkific.page([["id": 1, "name": NSNull()], ["id": 2, "name": "P&G 2026"]])
            default:
                return ScriptedThinkific.page([["id": 101, "name": NSNull(), "slug": NSNull()]])
            }
        })
        let client = ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: "stoic", apiKey: Secret("k"), baseURL: "https://api.thinkific.test/api/public/v1",
                policy: .thinkific(requestsPerMinute: nil), transport: transport, environment: TestClock().environment))
        let enrollments = try await client.enrollments(courseID: 101)
        #expect(enrollments.map(\.id) == [1, 2])
        #expect(enrollments[0].userEmail == "")
        let users = try await client.allUsers()
        #expect(users.map(\.email) == ["", "bo@pg.com"])
        #expect(try await client.groups().map(\.name) == ["", "P&G 2026"])
        #expect(try await client.courses().map(\.id) == [101])
    }

    @Test func aRowWithoutItsIdStillFailsTheListingLoudly() async throws {
        let transport = RecordedTransport(handler: { _ in
            ScriptedThinkific.page([["id": NSNull(), "user_id": 7, "course_id": 101, "user_email": "a@pg.com"]])
        })
        let client = ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: "stoic", apiKey: Secret("k"), baseURL: "https://api.thinkific.test/api/public/v1",
                policy: .thinkific(requestsPerMinute: nil), transport: transport, environment: TestClock().environment))
        await #expect(throws: LiveError.self) { _ = try await client.enrollments(courseID: 101) }
    }
}
