import Foundation
import Spec
import Synchronization

/// SCIM 2.0 service providers, one per configured app, at `/scim/{app}/v2/…` (RFC 7643/7644; docs/sandbox.md).
///
/// Each app has its own bearer token and its own Users and Groups. Discovery endpoints answer without a token.
public final class SCIMSurface: Surface {
    public static let contentType = "application/scim+json"

    /// An app from the seed: its path name, bearer token, and the accounts it had before stoicprov (`SeedUser`).
    public struct App: Sendable, Equatable {
        public var name: String
        public var token: String
        public var users: [SeedUser]

        public init(name: String, token: String? = nil, users: [SeedUser] = []) {
            self.name = name
            self.token = token ?? SandboxDefaults.scimToken(app: name)
            self.users = users
        }
    }

    private final class Tenant: Sendable {
        let app: App
        let profile: SCIMProfile
        let store: Mutex<SCIMStore>
        let pending = PendingMembers()

        init(app: App, profile: SCIMProfile, now: String) {
            self.app = app
            self.profile = profile
            store = Mutex(SCIMStore.seeded(app.users, now: now))
        }
    }

    public let name = "scim"
    public let apps: [App]
    private let tenants: [String: Tenant]
    private let clock: @Sendable () -> Date

    /// Loads the `scim:` section of a seed (`apps: [{name, token}]`); `nil` gives the default apps.
    public convenience init(
        seed: Node?, clock: @escaping @Sendable () -> Date = Date.init, profiles: SCIMProfiles = .none
    ) throws(SandboxError) {
        self.init(apps: try Self.apps(fromSeed: seed), clock: clock, profiles: profiles)
    }

    public init(apps: [App], clock: @escaping @Sendable () -> Date = Date.init, profiles: SCIMProfiles = .none) {
        self.apps = apps
        self.clock = clock
        let now = Timestamp.format(clock())
        tenants = Dictionary(
            apps.map { ($0.name, Tenant(app: $0, profile: profiles.profile(for: $0.name), now: now)) },
            uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Surface

    public func handle(_ request: HTTPRequest, path: String) -> HTTPResponse {
        do {
            return try respond(request, path: path)
        } catch {
            return error.response
        }
    }

    public func routeTemplate(method: String, path: String) -> String? {
        guard let (_, route) = try? match(path) else { return nil }
        return "\(method) /{app}/v2\(route.template)"
    }

    public func snapshot() throws -> Data {
        var states: [String: SCIMStore.State] = [:]
        for (name, tenant) in tenants { states[name] = tenant.store.withLock { $0.state } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(states)
    }

    public func restore(from snapshot: Data) throws {
        let states = try JSONDecoder().decode([String: SCIMStore.State].self, from: snapshot)
        for (name, tenant) in tenants {
            let store = SCIMStore(state: states[name] ?? SCIMStore.State())
            tenant.store.withLock { $0 = store }
        }
    }

    public func reset() {
        let now = timestamp()
        for tenant in tenants.values { tenant.store.withLock { $0 = SCIMStore.seeded(tenant.app.users, now: now) } }
    }

    // MARK: - Routing

    enum Route {
        case serviceProviderConfig
        case resourceTypes(String?)
        case schemas(String?)
        case collection(SCIMResourceType)
        case search(SCIMResourceType)
        /// `POST /.search` over every resource type.
        case rootSearch
        case resource(SCIMResourceType, String)
        case unsupported(String)

        var template: String {
            switch self {
            case .serviceProviderConfig: "/ServiceProviderConfig"
            case .resourceTypes(let id): id == nil ? "/ResourceTypes" : "/ResourceTypes/{id}"
            case .schemas(let id): id == nil ? "/Schemas" : "/Schemas/{id}"
            case .collection(let type): "/\(type.endpoint)"
            case .search(let type): "/\(type.endpoint)/.search"
            case .rootSearch: "/.search"
            case .resource(let type, _): "/\(type.endpoint)/{id}"
            case .unsupported(let name): "/\(name)"
            }
        }

        var isDiscovery: Bool {
            switch self {
            case .serviceProviderConfig, .resourceTypes, .schemas: true
            default: false
            }
        }

        var methods: [String] {
            switch self {
            case .serviceProviderConfig, .resourceTypes, .schemas: ["GET"]
            case .collection: ["GET", "POST"]
            case .search, .rootSearch: ["POST"]
            case .resource: ["GET", "PUT", "PATCH", "DELETE"]
            case .unsupported: ["GET", "POST", "PUT", "PATCH", "DELETE"]
            }
        }
    }

    private func match(_ path: String) throws(SCIMFailure) -> (Tenant, Route) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        guard parts.count >= 3, parts[1] == "v2", let tenant = tenants[parts[0]] else {
            throw .notFound("Endpoint \(path)")
        }
        let rest = Array(parts.dropFirst(2))
        let type = SCIMResourceType.allCases.first { $0.endpoint == rest[0] }
        switch (rest.count, rest[0]) {
        case (1, "ServiceProviderConfig"): return (tenant, .serviceProviderConfig)
        case (1, "ResourceTypes"): return (tenant, .resourceTypes(nil))
        case (2, "ResourceTypes"): return (tenant, .resourceTypes(rest[1]))
        case (1, "Schemas"): return (tenant, .schemas(nil))
        case (2, "Schemas"): return (tenant, .schemas(rest[1]))
        case (1, ".search"): return (tenant, .rootSearch)
        case (1, "Me"), (1, "Bulk"): return (tenant, .unsupported(rest[0]))
        default: break
        }
        switch (rest.count, type) {
        case (1, let type?): return (tenant, .collection(type))
        case (2, let type?): return (tenant, rest[1] == ".search" ? .search(type) : .resource(type, rest[1]))
        default: throw .notFound("Endpoint \(path)")
        }
    }

    private func respond(_ request: HTTPRequest, path: String) throws(SCIMFailure) -> HTTPResponse {
        let (tenant, route) = try match(path)
        if !route.isDiscovery {
            guard request.isAuthorized(bearer: tenant.app.token) else { throw .unauthorized() }
        }
        let method = request.method.uppercased()
        guard route.methods.contains(method) else { throw .methodNotAllowed(method) }
        if ["POST", "PUT", "PATCH"].contains(method) {
            let mediaType = request.headers["Content-Type"]?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard mediaType == "application/scim+json" || mediaType == "application/json" else {
                throw .unsupportedMediaType(request.headers["Content-Type"])
            }
        }
        let base = baseURL(request, app: tenant.app.name)
        switch route {
        case .serviceProviderConfig:
            var config = SCIMSchemas.serviceProviderConfig(location: base + "/ServiceProviderConfig")
            if case .object(var fields) = config, case .object(var filter)? = fields["filter"] {
                filter["maxResults"] = .int(tenant.profile.maxResults)
                fields["filter"] = .object(filter)
                config = .object(fields)
            }
            return Self.json(200, config)
        case .resourceTypes(nil):
            let all = SCIMResourceType.allCases.map { $0.json(location: "\(base)/ResourceTypes/\($0.rawValue)") }
            return Self.json(200, Self.listResponse(all, total: all.count, startIndex: 1))
        case .resourceTypes(let id?):
            guard let type = SCIMResourceType(rawValue: id) else { throw .notFound("ResourceType '\(id)'") }
            return Self.json(200, type.json(location: "\(base)/ResourceTypes/\(id)"))
        case .schemas(nil):
            let all = SCIMSchemas.all.map { $0.json(location: "\(base)/Schemas/\($0.id)") }
            return Self.json(200, Self.listResponse(all, total: all.count, startIndex: 1))
        case .schemas(let id?):
            guard let schema = SCIMSchemas.schema(id: id) else { throw .notFound("Schema '\(id)'") }
            return Self.json(200, schema.json(location: "\(base)/Schemas/\(schema.id)"))
        case .unsupported(let name):
            throw .notImplemented(name)
        case .collection(let type) where method == "POST":
            let attributes = try SCIMInput.attributes(of: try Self.body(request), type: type)
            let now = timestamp()
            let (object, groups) = try tenant.store.withLock { store throws(SCIMFailure) in
                let created = try store.create(type, attributes: attributes, now: now)
                return (created, Self.groupNames(store, id: created["id"]?.stringValue))
            }
            return resourceResponse(
                201, object, type: type, tenant: tenant, base: base, groups: groups, request: request, location: true)
        case .collection(let type):
            return try list([type], tenant: tenant, base: base, parameters: try SCIMListParameters(query: request))
        case .search(let type):
            return try list([type], tenant: tenant, base: base, parameters: SCIMListParameters(body: try Self.body(request)))
        case .rootSearch:
            return try list(
                SCIMResourceType.allCases, tenant: tenant, base: base,
                parameters: SCIMListParameters(body: try Self.body(request)))
        case .resource(let type, let id):
            return try resource(type, id: id, method: method, tenant: tenant, base: base, request: request)
        }
    }

    private func resource(
        _ type: SCIMResourceType, id: String, method: String, tenant: Tenant, base: String, request: HTTPRequest
    ) throws(SCIMFailure) -> HTTPResponse {
        let ifMatch = request.headers["If-Match"]
        func checkVersion(_ store: SCIMStore) throws(SCIMFailure) -> [String: SCIMJSON] {
            guard let object = store.object(type, id: id) else { throw .notFound("\(type.rawValue) '\(id)'") }
            if let ifMatch, ifMatch != "*", ifMatch != Self.version(object) { throw .preconditionFailed() }
            return object
        }
        let now = timestamp()
        switch method {
        case "GET":
            let (object, groups) = try tenant.store.withLock { store throws(SCIMFailure) in
                guard let object = store.object(type, id: id) else { throw .notFound("\(type.rawValue) '\(id)'") }
                return (object, Self.groupNames(store, id: id))
            }
            if let ifNoneMatch = request.headers["If-None-Match"], ifNoneMatch == Self.version(object) {
                var response = HTTPResponse.empty(304)
                response.headers.set("ETag", ifNoneMatch)
                return response
            }
            return resourceResponse(200, object, type: type, tenant: tenant, base: base, groups: groups, request: request)
        case "PUT":
            let attributes = try SCIMInput.attributes(of: try Self.body(request), type: type)
            let (object, groups) = try tenant.store.withLock { store throws(SCIMFailure) in
                let before = try checkVersion(store)
                try Self.checkUserName(tenant, before: before, after: attributes)
                let object = try store.replace(type, id: id, attributes: attributes, now: now)
                return (object, Self.groupNames(store, id: id))
            }
            return resourceResponse(200, object, type: type, tenant: tenant, base: base, groups: groups, request: request)
        case "PATCH":
            let body = try Self.body(request)
            let (before, object, groups) = try tenant.store.withLock { store throws(SCIMFailure) in
                let before = try checkVersion(store)
                var object = before
                try SCIMPatch.apply(body, to: &object, type: type)
                try Self.checkUserName(tenant, before: before, after: object)
                object = try store.update(type, id: id, object, now: now)
                return (before, object, Self.groupNames(store, id: id))
            }
            if type == .group && tenant.profile.membershipDelay > 0 {
                let added = Set(SCIMStore.memberIDs(.object(object))).subtracting(SCIMStore.memberIDs(.object(before)))
                tenant.pending.add(group: id, members: added.sorted(), after: tenant.profile.membershipDelay)
            }
            if tenant.profile.patchAnswers204 {
                var response = HTTPResponse.empty(204)
                response.headers.set("ETag", Self.version(object))
                return response
            }
            return resourceResponse(200, object, type: type, tenant: tenant, base: base, groups: groups, request: request)
        default:
            try tenant.store.withLock { store throws(SCIMFailure) in
                _ = try checkVersion(store)
                try store.delete(type, id: id)
            }
            return .empty(204)
        }
    }

    /// Lists one resource type, or several for `POST /.search` (Users first; a type the filter cannot apply to
    /// is left out).
    private func list(
        _ types: [SCIMResourceType], tenant: Tenant, base: String, parameters: SCIMListParameters
    )
        throws(SCIMFailure) -> HTTPResponse
    {
        var filters: [(SCIMResourceType, SCIMFilter?)] = []
        var failure: SCIMFailure?
        for type in types {
            guard let text = parameters.filter else {
                filters.append((type, nil))
                continue
            }
            do throws(SCIMFailure) {
                let filter = try SCIMFilter.parse(text, scope: .resource(type))
                guard tenant.profile.understands(filter) else {
                    // An eq-only provider: refuses the filter, or answers it as if nobody matched.
                    if tenant.profile.filters == .eqOnlyIgnoring {
                        return Self.json(200, Self.listResponse([], total: 0, startIndex: parameters.startIndex ?? 1))
                    }
                    throw SCIMFailure.invalidFilter("Only 'eq' filters joined by 'and' are supported")
                }
                filters.append((type, filter))
            } catch {
                failure = error
            }
        }
        if filters.isEmpty, let failure { throw failure }
        let startIndex = max(parameters.startIndex ?? 1, 1)
        let cap = tenant.profile.maxResults
        let count = min(max(parameters.count ?? cap, 0), cap)
        var total = 0
        var resources: [SCIMJSON] = []
        for (type, filter) in filters {
            // Later types continue the numbering where earlier ones stopped.
            let localStart = max(startIndex - total, 1)
            let localCount = max(count - resources.count, 0)
            let (found, page) = tenant.store.withLock { store in
                let (found, page) = store.list(type, filter: filter, startIndex: localStart, count: localCount)
                return (found, page.map { ($0, Self.groupNames(store, id: $0["id"]?.stringValue)) })
            }
            let projection = SCIMProjection(parameters: parameters, type: type)
            resources += page.map { object, groups in
                projection.apply(render(object, type: type, tenant: tenant, base: base, groups: groups))
            }
            total += found
        }
        return Self.json(200, Self.listResponse(resources, total: total, startIndex: startIndex))
    }

    // MARK: - Rendering

    private func resourceResponse(
        _ status: Int, _ object: [String: SCIMJSON], type: SCIMResourceType, tenant: Tenant, base: String,
        groups: [(String, String)], request: HTTPRequest, location: Bool = false
    ) -> HTTPResponse {
        let projection = SCIMProjection(parameters: SCIMListParameters(attributesOf: request), type: type)
        let rendered = render(object, type: type, tenant: tenant, base: base, groups: groups)
        var response = Self.json(status, projection.apply(rendered))
        response.headers.set("ETag", Self.version(object))
        if location, let url = rendered.objectValue?["meta"]?.objectValue?["location"]?.stringValue {
            response.headers.set("Location", url)
        }
        return response
    }

    /// The client's view of a stored object: `schemas`, `meta.location`, `User.groups`, no write-only values; under
    /// the app's profile, without members, or without those added too recently.
    private func render(
        _ object: [String: SCIMJSON], type: SCIMResourceType, tenant: Tenant, base: String, groups allGroups: [(String, String)]
    )
        -> SCIMJSON
    {
        var result = object
        let id = object["id"]?.stringValue ?? ""
        let profile = tenant.profile
        var groups = allGroups
        if profile.omitsMembers {
            result["members"] = nil
            groups = []
        } else if profile.membershipDelay > 0 {
            groups = groups.filter { !tenant.pending.isHidden(group: $0.0, member: id) }
            if type == .group, let members = object["members"]?.arrayValue {
                result["members"] = .array(
                    members.filter { !tenant.pending.isHidden(group: id, member: $0.objectValue?["value"]?.stringValue ?? "") })
            }
        }
        result["password"] = nil
        result["schemas"] = .array(
            [.string(type.schema.id)] + type.extensions.filter { object[$0.id] != nil }.map { .string($0.id) })
        var meta = object["meta"]?.objectValue ?? [:]
        meta["location"] = .string("\(base)/\(type.endpoint)/\(id)")
        result["meta"] = .object(meta)
        if type == .user && !groups.isEmpty {
            result["groups"] = .array(
                groups.map { groupID, display in
                    .object([
                        "value": .string(groupID), "$ref": .string("\(base)/Groups/\(groupID)"), "display": .string(display),
                        "type": .string("direct"),
                    ])
                })
        }
        return .object(result)
    }

    /// The groups listing a member, as (id, displayName) sorted by name then id.
    private static func groupNames(_ store: SCIMStore, id: String?) -> [(String, String)] {
        guard let id, let groupIDs = store.memberships[id] else { return [] }
        return groupIDs.map { ($0, store.object(.group, id: $0)?["displayName"]?.stringValue ?? "") }.sorted {
            ($0.1, $0.0) < ($1.1, $1.0)
        }
    }

    /// Under `immutable-username`, a changed `userName` (compared case-insensitively) is refused.
    private static func checkUserName(
        _ tenant: Tenant, before: [String: SCIMJSON], after: [String: SCIMJSON]
    ) throws(SCIMFailure) {
        guard tenant.profile.immutableUserName, let old = before["userName"]?.stringValue else { return }
        guard let new = after["userName"]?.stringValue, new.lowercased() != old.lowercased() else { return }
        throw .mutability("userName")
    }

    private static func version(_ object: [String: SCIMJSON]) -> String {
        object["meta"]?.objectValue?["version"]?.stringValue ?? ""
    }

    private static func listResponse(_ resources: [SCIMJSON], total: Int, startIndex: Int) -> SCIMJSON {
        .object([
            "schemas": .array([.string(SCIMSchemas.listURN)]), "totalResults": .int(total),
            "startIndex": .int(startIndex), "itemsPerPage": .int(resources.count), "Resources": .array(resources),
        ])
    }

    private static func json(_ status: Int, _ value: SCIMJSON) -> HTTPResponse {
        .json(status, value.encoded(), contentType: contentType)
    }

    private static func body(_ request: HTTPRequest) throws(SCIMFailure) -> SCIMJSON {
        guard let body = SCIMJSON.parse(request.body) else { throw .invalidSyntax("The request body is not valid JSON") }
        return body
    }

    /// `http://HOST/scim/{app}/v2` as the client addressed us.
    private func baseURL(_ request: HTTPRequest, app: String) -> String {
        "http://\(request.headers["Host"] ?? "127.0.0.1")/\(name)/\(app)/v2"
    }

    private func timestamp() -> String {
        Timestamp.format(clock())
    }
}
