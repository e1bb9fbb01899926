import Apply
import Foundation
import Live
import Operations
import Planner
import Synchronization
import TestSupport

/// A stateful stand-in for the three APIs' write paths, behind a `RecordedTransport`: Thinkific at
/// `https://thinkific.test/v1`, WorkOS at `https://workos.test`, SCIM at `https://scim.test/v2`. Faults can be queued
/// per route (`"POST /users"`): `lose` acts and then drops the connection (a lost answer), `drop` drops without
/// acting, `status` answers without acting.
final class WriteFake: Sendable {
    enum Fault: Sendable {
        case lose
        case drop
        case status(Int)
    }

    struct User: Sendable { var id: Int, email: String, first: String, last: String }
    struct Enrollment: Sendable { var id: Int, userID: Int, courseID: Int, activatedAt: String?, expiry: String? }
    struct SCIMUser: Sendable { var id: String, userName: String, active: Bool }
    struct SCIMGroup: Sendable { var id: String, name: String, members: [String] }

    struct State: Sendable {
        var nextID = 100
        var users: [User] = []
        var groups: [(id: Int, name: String)] = []
        var groupUsers: [(userID: Int, group: String)] = []
        var enrollments: [Enrollment] = []
        var organizations: [(id: String, externalID: String, name: String)] = []
        var idempotencyKeys: [String: String] = [:]
        var scimUsers: [SCIMUser] = []
        var scimGroups: [SCIMGroup] = []
        var faults: [String: [Fault]] = [:]
        /// What SCIM PATCH answers with (scim2-server: 204; others 200 with the resource).
        var patchStatus = 204
        var enrollmentPuts: [String] = []
    }

    let state = Mutex(State())
    let transport: RecordedTransport

    init() {
        let box = Box()
        transport = RecordedTransport(handler: { box.fake!.handle($0) })
        box.fake = self
    }

    private final class Box: @unchecked Sendable {
        weak var fake: WriteFake?
    }

    func inject(_ route: String, _ faults: Fault...) {
        state.withLock { $0.faults[route, default: []] += faults }
    }

    func edit(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
    }

    var snapshot: State { state.withLock { $0 } }

    func requests(_ method: String, _ path: String) -> Int {
        transport.requests.count { $0.method == method && $0.url.path == path }
    }

    // MARK: - Clients

    func clients(thinkificRate: Double? = nil) -> ApplyClients {
        let environment = TestClock().environment
        let thinkific = ThinkificClient.channel(
            subdomain: "stoic", apiKey: Secret(WriteFake.thinkificKey), baseURL: "https://thinkific.test/v1",
            policy: .thinkific(requestsPerMinute: thinkificRate), transport: transport, environment: environment)
        let workos = WorkOSClient.channel(
            apiKey: Secret(WriteFake.workosKey), baseURL: "https://workos.test", transport: transport, environment: environment)
        let scim = SCIMClient.channel(
            app: "insights", baseURL: "https://scim.test/v2", token: Secret(WriteFake.scimToken), transport: transport,
            environment: environment)
        return ApplyClients(
            thinkific: ThinkificClient(channel: thinkific), workos: WorkOSClient(channel: workos),
            scim: ["insights": SCIMClient(channel: scim)])
    }

    /// Credentials built at run time (never a literal key in source): tests grep output for them.
    static let thinkificKey = "tk-" + String(repeating: "7", count: 12) + "-secret"
    static let workosKey = "sk_test_" + String(repeating: "9", count: 12)
    static let scimToken = "scim-" + String(repeating: "5", count: 12)

    // MARK: - Routing

    func handle(_ request: TransportRequest) -> RecordedTransport.Reply {
        let host = request.url.host ?? ""
        var path = request.url.path
        for prefix in ["/v1", "/v2"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        let route = "\(request.method) \(Self.template(path))"
        let fault = state.withLock { state -> Fault? in
            guard var queue = state.faults[route], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.faults[route] = queue
            return first
        }
        switch fault {
        case .drop?: return .failure(.connectionDropped(host: host, reason: "injected"))
        case .status(let code)?: return Fake.json(["error": "injected \(code)"], status: code)
        default: break
        }
        let body = request.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        let reply = state.withLock { state -> RecordedTransport.Reply in
            switch host {
            case "thinkific.test": Self.thinkific(&state, request, path, body)
            case "workos.test": Self.workos(&state, request, path, body)
            default: Self.scim(&state, request, path, body)
            }
        }
        if case .lose? = fault { return .failure(.connectionDropped(host: host, reason: "injected after acting")) }
        return reply
    }

    /// `/users/7` → `/users/{id}`.
    static func template(_ path: String) -> String {
        let parts = path.split(separator: "/").enumerated().map { index, part in
            index > 0 && !["external_id"].contains(String(part)) ? "{id}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    private static func id(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

    private static func thinkific(
        _ state: inout State, _ request: TransportRequest, _ path: String, _ body: [String: Any]
    ) -> RecordedTransport.Reply {
        switch (request.method, template(path)) {
        case ("GET", "/users"):
            var found = state.users
            if let email = request.query("query[email]") { found = found.filter { $0.email.lowercased() == email.lowercased() } }
            return page(found.map { ["id": $0.id, "email": $0.email, "first_name": $0.first, "last_name": $0.last] })
        case ("POST", "/users"):
            let email = body["email"] as? String ?? ""
            if state.users.contains(where: { $0.email.lowercased() == email.lowercased() }) {
                return Fake.json(["errors": ["email": ["has already been taken"]]], status: 422)
            }
            state.nextID += 1
            state.users.append(
                User(
                    id: state.nextID, email: email, first: body["first_name"] as? String ?? "",
                    last: body["last_name"] as? String ?? ""))
            return Fake.json(["id": state.nextID, "email": email], status: 201)
        case ("PUT", "/users/{id}"):
            guard let index = state.users.firstIndex(where: { String($0.id) == id(path) }) else { return notFound }
            if let email = body["email"] as? String { state.users[index].email = email }
            return .status(204)
        case ("GET", "/groups"):
            return page(state.groups.map { ["id": $0.id, "name": $0.name] })
        case ("POST", "/groups"):
            state.nextID += 1
            state.groups.append((state.nextID, body["name"] as? String ?? ""))
            return Fake.json(["id": state.nextID, "name": body["name"] ?? ""], status: 200)
        case ("POST", "/group_users"):
            let user = body["user_id"] as? Int ?? 0
            for name in body["group_names"] as? [String] ?? [] where !state.groupUsers.contains(where: { $0 == (user, name) }) {
                state.groupUsers.append((user, name))
            }
            return .status(201)
        case ("GET", "/enrollments"):
            var found = state.enrollments
            if let user = request.query("query[user_id]").flatMap(Int.init) { found = found.filter { $0.userID == user } }
            if let course = request.query("query[course_id]").flatMap(Int.init) { found = found.filter { $0.courseID == course } }
            return page(
                found.map {
                    [
                        "id": $0.id, "user_id": $0.userID, "course_id": $0.courseID, "user_email": "x@pg.com",
                        "activated_at": $0.activatedAt ?? NSNull(), "expiry_date": $0.expiry ?? NSNull(),
                    ]
                })
        case ("POST", "/enrollments"):
            state.nextID += 1
            state.enrollments.append(
                Enrollment(
                    id: state.nextID, userID: body["user_id"] as? Int ?? 0, courseID: body["course_id"] as? Int ?? 0,
                    activatedAt: body["activated_at"] as? String, expiry: body["expiry_date"] as? String))
            return Fake.json(["id": state.nextID], status: 201)
        case ("PUT", "/enrollments/{id}"):
            guard let index = state.enrollments.firstIndex(where: { String($0.id) == id(path) }) else { return notFound }
            if let activated = body["activated_at"] as? String { state.enrollments[index].activatedAt = activated }
            if body.keys.contains("expiry_date") { state.enrollments[index].expiry = body["expiry_date"] as? String }
            state.enrollmentPuts.append(String(decoding: request.body ?? Data(), as: UTF8.self))
            return .status(204)
        default:
            return notFound
        }
    }

    private static func workos(
        _ state: inout State, _ request: TransportRequest, _ path: String, _ body: [String: Any]
    ) -> RecordedTransport.Reply {
        func organization(_ org: (id: String, externalID: String, name: String)) -> [String: Any] {
            ["object": "organization", "id": org.id, "name": org.name, "external_id": org.externalID, "domains": []]
        }
        switch request.method {
        case "GET" where path.hasPrefix("/organizations/external_id/"):
            guard let org = state.organizations.first(where: { $0.externalID == id(path) }) else { return notFound }
            return Fake.json(organization(org))
        case "POST" where path == "/organizations":
            if let key = request.header("Idempotency-Key"), let known = state.idempotencyKeys[key],
                let org = state.organizations.first(where: { $0.id == known })
            {
                return Fake.json(organization(org), status: 201)
            }
            let external = body["external_id"] as? String ?? ""
            if state.organizations.contains(where: { $0.externalID == external }) {
                return Fake.json(["message": "External ID already used", "code": "external_id_already_used"], status: 400)
            }
            state.nextID += 1
            let org = (id: "org_\(state.nextID)", externalID: external, name: body["name"] as? String ?? "")
            state.organizations.append(org)
            if let key = request.header("Idempotency-Key") { state.idempotencyKeys[key] = org.id }
            return Fake.json(organization(org), status: 201)
        case "PUT":
            guard let index = state.organizations.firstIndex(where: { $0.id == id(path) }) else { return notFound }
            state.organizations[index].name = body["name"] as? String ?? ""
            return Fake.json(organization(state.organizations[index]))
        default:
            return notFound
        }
    }

    private static func scim(
        _ state: inout State, _ request: TransportRequest, _ path: String, _ body: [String: Any]
    ) -> RecordedTransport.Reply {
        func operand(_ prefix: String) -> String? {
            guard let filter = request.query("filter"), filter.hasPrefix(prefix) else { return nil }
            return String(filter.dropFirst(prefix.count).dropFirst().dropLast())
        }
        func list(_ resources: [[String: Any]]) -> RecordedTransport.Reply {
            Fake.json(["totalResults": resources.count, "Resources": resources, "startIndex": 1])
        }
        let patchReply: RecordedTransport.Reply = state.patchStatus == 204 ? .status(204) : Fake.json(["id": id(path)])
        switch (request.method, template(path)) {
        case ("GET", "/Users"):
            var found = state.scimUsers
            if let name = operand("userName eq ") { found = found.filter { $0.userName.lowercased() == name.lowercased() } }
            return list(found.map { ["id": $0.id, "userName": $0.userName, "active": $0.active] })
        case ("POST", "/Users"):
            let name = body["userName"] as? String ?? ""
            if state.scimUsers.contains(where: { $0.userName.lowercased() == name.lowercased() }) {
                return Fake.json(["status": "409", "scimType": "uniqueness"], status: 409)
            }
            state.nextID += 1
            state.scimUsers.append(SCIMUser(id: "u\(state.nextID)", userName: name, active: true))
            return Fake.json(["id": "u\(state.nextID)", "userName": name], status: 201)
        case ("PATCH", "/Users/{id}"):
            guard let index = state.scimUsers.firstIndex(where: { $0.id == id(path) }) else { return notFound }
            for operation in body["Operations"] as? [[String: Any]] ?? [] where operation["path"] as? String == "active" {
                state.scimUsers[index].active = operation["value"] as? Bool ?? true
            }
            return patchReply
        case ("DELETE", "/Users/{id}"):
            state.scimUsers.removeAll { $0.id == id(path) }
            return .status(204)
        case ("GET", "/Groups"):
            var found = state.scimGroups
            if let name = operand("displayName eq ") { found = found.filter { $0.name == name } }
            return list(found.map { ["id": $0.id, "displayName": $0.name, "members": $0.members.map { ["value": $0] }] })
        case ("POST", "/Groups"):
            state.nextID += 1
            state.scimGroups.append(SCIMGroup(id: "g\(state.nextID)", name: body["displayName"] as? String ?? "", members: []))
            return Fake.json(["id": "g\(state.nextID)"], status: 201)
        case ("PATCH", "/Groups/{id}"):
            guard let index = state.scimGroups.firstIndex(where: { $0.id == id(path) }) else { return notFound }
            for operation in body["Operations"] as? [[String: Any]] ?? [] {
                if (operation["op"] as? String) == "add" {
                    for member in operation["value"] as? [[String: Any]] ?? [] {
                        if let value = member["value"] as? String, !state.scimGroups[index].members.contains(value) {
                            state.scimGroups[index].members.append(value)
                        }
                    }
                } else if let memberPath = operation["path"] as? String {
                    state.scimGroups[index].members.removeAll { memberPath.contains("\"\($0)\"") }
                }
            }
            return patchReply
        default:
            return notFound
        }
    }

    private static let notFound = Fake.json(["error": "Record not found."], status: 404)

    private static func page(_ items: [[String: Any]]) -> RecordedTransport.Reply {
        Fake.json([
            "items": items,
            "meta": ["pagination": ["current_page": 1, "next_page": NSNull(), "total_pages": 1, "total_items": items.count]],
        ])
    }
}

extension Executor {
    /// Every tenant of `plan` through the executor's one entry point, `apply(_:planDigest:verify:)`, one after
    /// another as `ApplySession` does, without the session's re-observation (the fakes are not observable).
    func apply(_ plan: Plan) async -> ApplyReport {
        let start = ContinuousClock.now
        let digest = Executor.digest(of: plan)
        var tenants: [TenantApplyReport] = []
        for tenant in plan.tenants {
            tenants.append(await apply(tenant, planDigest: digest))
        }
        let elapsed = ContinuousClock.now - start
        return ApplyReport(tenants: tenants, seconds: Double(elapsed.components.seconds))
    }
}
