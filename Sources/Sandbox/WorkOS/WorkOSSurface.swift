import Foundation
import Spec
import Synchronization

/// The WorkOS API (organizations, SSO connections, Directory Sync, Admin Portal links, events), emulated in memory.
///
/// Every object carries what the official SDKs require (contracts/workos.md §5). Directory changes that an identity
/// provider would push arrive through the control routes (`handleControl`) and produce `dsync.*` events.
public final class WorkOSSurface: Surface {
    public let name = "workos"
    let apiKey: String
    let clock: @Sendable () -> Date
    /// How the surface behaves (`kind` unless `--profile workos=…` says otherwise).
    public let profile: WorkOSProfile
    private let seeded: WorkOSState
    let store: Mutex<WorkOSStore>
    /// `GET /directory_users` windows per directory, under a profile that limits them.
    private let directoryLimiter: RateLimiter

    /// Loads the `workos:` section of a seed (`nil`: no organizations, the default API key).
    public convenience init(
        seed: Node?, profile: WorkOSProfile = .kind, clock: @escaping @Sendable () -> Date = Date.init
    ) throws(SandboxError) {
        self.init(try WorkOSSeed(node: seed, profile: profile), profile: profile, clock: clock)
    }

    /// Loads a seed built in Swift.
    public init(_ seed: WorkOSSeed, profile: WorkOSProfile = .kind, clock: @escaping @Sendable () -> Date = Date.init) {
        apiKey = seed.apiKey
        self.clock = clock
        self.profile = profile
        seeded = WorkOSState(seed: seed, now: clock())
        store = Mutex(WorkOSStore(seeded, profile: profile))
        let limits = profile.directoryUsersPerSecond.map {
            RateLimitPolicy([Self.directoryUsersLimit: .init(requests: $0, window: 1)])
        }
        directoryLimiter = RateLimiter(policy: limits ?? .none, clock: clock)
    }

    static let directoryUsersLimit = "workos-directory-users"

    // MARK: - Surface

    public func handle(_ request: HTTPRequest, path: String) -> HTTPResponse {
        var response: HTTPResponse
        if !request.isAuthorized(bearer: apiKey) {
            response = WorkOSErrorResponse.unauthorized.response
        } else if let (route, parameters) = WorkOSRoute.match(method: request.method, path: path) {
            if route == .listDirectoryUsers, let limited = directoryUsersLimited(request) { return limited }
            response = store.withLock { store in
                guard request.method == "POST", let key = request.headers["Idempotency-Key"], !key.isEmpty else {
                    return answer(route, parameters, request, &store)
                }
                let scoped = "\(request.method) \(path) \(key)"
                if let stored = store.state.idempotentResponses[scoped] { return .json(stored.status, stored.body) }
                let response = answer(route, parameters, request, &store)
                if response.status < 500 {
                    store.state.idempotentResponses[scoped] = StoredResponse(status: response.status, body: response.body)
                }
                return response
            }
        } else {
            response = WorkOSErrorResponse.noRoute(request.method, path).response
        }
        response.headers.set("X-Request-ID", UUID().uuidString.lowercased())
        return response
    }

    public func routeTemplate(method: String, path: String) -> String? {
        if let (route, _) = WorkOSRoute.match(method: method, path: path) { return "\(method) \(route.template)" }
        return nil
    }

    public func snapshot() throws -> Data {
        try store.withLock { try JSONEncoder().encode($0.state) }
    }

    public func restore(from snapshot: Data) throws {
        let state = try JSONDecoder().decode(WorkOSState.self, from: snapshot)
        store.withLock { $0 = WorkOSStore(state, profile: profile) }
    }

    public func reset() {
        store.withLock { $0 = WorkOSStore(seeded, profile: profile) }
        directoryLimiter.reset()
    }

    /// Under a profile that limits `GET /directory_users` per directory: the 429 WorkOS sends past the limit — the
    /// bare JSON string `"Ratelimited"`, no `Retry-After`, no `RateLimit-*` headers — or `nil` when the request is
    /// within it. The directory is the `directory` filter's, else the `group` filter's group's.
    private func directoryUsersLimited(_ request: HTTPRequest) -> HTTPResponse? {
        guard profile.directoryUsersPerSecond != nil else { return nil }
        let key: String
        if let directory = request.queryValue("directory") {
            key = directory
        } else if let group = request.queryValue("group") {
            key = store.withLock { store in store.index.group[group].map { store.state.groups[$0].directoryID } } ?? group
        } else {
            return nil
        }
        guard case .limited = directoryLimiter.check(surface: Self.directoryUsersLimit, key: key) else { return nil }
        var response = HTTPResponse.json(429, object: "Ratelimited")
        response.headers.set("X-Request-ID", UUID().uuidString.lowercased())
        return response
    }

    private func answer(
        _ route: WorkOSRoute, _ parameters: [String], _ request: HTTPRequest, _ store: inout WorkOSStore
    )
        -> HTTPResponse
    {
        do throws(WorkOSErrorResponse) {
            let now = clock()
            switch route {
            case .listOrganizations: return try store.listOrganizations(request)
            case .createOrganization: return try store.createOrganization(try Self.body(request), now: now)
            case .getOrganizationByExternalID:
                guard let position = store.index.organizationByExternalID[parameters[0]] else {
                    throw .notFound("Organization", parameters[0])
                }
                return JSONWriter.response(200, store.state.json(store.state.organizations[position]))
            case .getOrganization:
                return JSONWriter.response(
                    200, store.state.json(store.state.organizations[try store.organization(parameters[0])]))
            case .updateOrganization:
                return try store.updateOrganization(parameters[0], try Self.body(request), now: now)
            case .deleteOrganization: return try store.deleteOrganization(parameters[0], now: now)
            case .listConnections: return try store.listConnections(request)
            case .getConnection:
                guard let position = store.index.ssoConnection[parameters[0]] else {
                    throw .notFound("Connection", parameters[0])
                }
                return JSONWriter.response(200, store.state.json(store.state.connections[position]))
            case .deleteConnection:
                guard store.index.ssoConnection[parameters[0]] != nil else { throw .notFound("Connection", parameters[0]) }
                store.state.connections.removeAll { $0.id == parameters[0] }
                store.reindex()
                return .empty(204)
            case .listDirectories: return try store.listDirectories(request)
            case .getDirectory:
                guard let position = store.index.directory[parameters[0]] else { throw .notFound("Directory", parameters[0]) }
                return JSONWriter.response(200, store.state.json(store.state.directories[position], index: store.index))
            case .listDirectoryUsers: return try store.listDirectoryUsers(request)
            case .getDirectoryUser:
                guard let position = store.index.user[parameters[0]] else { throw .notFound("Directory user", parameters[0]) }
                return JSONWriter.response(200, store.state.json(store.state.users[position], index: store.index))
            case .listDirectoryGroups: return try store.listDirectoryGroups(request)
            case .getDirectoryGroup:
                guard let position = store.index.group[parameters[0]] else { throw .notFound("Directory group", parameters[0]) }
                return JSONWriter.response(200, store.state.json(store.state.groups[position]))
            case .generatePortalLink: return try store.generatePortalLink(try Self.body(request))
            case .listEvents: return try store.listEvents(request)
            }
        } catch {
            return error.response
        }
    }

    /// The request's JSON object body (an empty body is an empty object).
    static func body(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> [String: Any] {
        if request.body.isEmpty { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
            throw .invalidJSON
        }
        return object
    }
}

/// The surface's state and the lookups over it, guarded together by the surface's mutex.
struct WorkOSStore: Sendable {
    var state: WorkOSState
    var index: WorkOSIndex
    let profile: WorkOSProfile

    init(_ state: WorkOSState, profile: WorkOSProfile = .kind) {
        self.state = state
        self.profile = profile
        index = WorkOSIndex(state)
    }

    mutating func reindex() {
        index = WorkOSIndex(state)
    }

    func organization(_ id: String) throws(WorkOSErrorResponse) -> Int {
        guard let position = index.organization[id] else { throw .notFound("Organization", id) }
        return position
    }

    /// Records an event about a change, its `data` the object as it is now.
    mutating func record(_ type: String, organizationID: String?, data: [String: Any], now: Date) {
        let body = JSONWriter.data(data)
        state.events.append(
            WorkOSEvent(
                id: state.ids.next("event", at: now), event: type, organizationID: organizationID, data: body,
                createdAt: Timestamp.format(now)))
    }
}
