import Foundation

/// `limit`, `before`, `after` and `order` of a list request, validated.
struct WorkOSListQuery {
    var limit = 10
    var order = WorkOSPage.Order.desc
    var before: String?
    var after: String?

    init(_ request: HTTPRequest, defaultOrder: WorkOSPage.Order = .desc) throws(WorkOSErrorResponse) {
        order = defaultOrder
        if let text = request.queryValue("limit") {
            guard let value = Int(text), (1...100).contains(value) else {
                throw .invalid("limit", "invalid", "limit must be an integer between 1 and 100.")
            }
            limit = value
        }
        if let text = request.queryValue("order") {
            guard let value = WorkOSPage.Order(rawValue: text) else {
                throw .invalid("order", "invalid", "order must be one of asc, desc, normal.")
            }
            order = value
        }
        before = request.queryValue("before").flatMap { $0.isEmpty ? nil : $0 }
        after = request.queryValue("after").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// One page of `positions` (ascending by id), as a list envelope of `render`ed objects.
    func envelope(_ positions: [Int], id: (Int) -> String, render: (Int) -> [String: Any]) -> HTTPResponse {
        let page = WorkOSPage(
            count: positions.count, id: { id(positions[$0]) }, order: order, limit: limit, before: before, after: after)
        return JSONWriter.response(
            200,
            [
                "object": "list",
                "data": page.positions.map { render(positions[$0]) },
                "list_metadata": ["before": page.before ?? NSNull(), "after": page.after ?? NSNull()] as [String: Any],
            ] as [String: Any])
    }
}

extension HTTPRequest {
    /// A list filter given comma-joined (`domains=a,b`), repeated (`domains=a&domains=b`) or as `domains[]=a`.
    func listValues(_ name: String) -> [String] {
        (queryValues(name) + queryValues(name + "[]"))
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

// MARK: - Organizations

extension WorkOSStore {
    func listOrganizations(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> HTTPResponse {
        let query = try WorkOSListQuery(request)
        let domains = Set(request.listValues("domains").map { $0.lowercased() })
        let search = request.queryValue("search").flatMap { $0.isEmpty ? nil : $0 }
        let positions = state.organizations.indices.filter { position in
            let organization = state.organizations[position]
            if !domains.isEmpty, !organization.domains.contains(where: { domains.contains($0.domain.lowercased()) }) {
                return false
            }
            if let search, organization.name.range(of: search, options: .caseInsensitive) == nil { return false }
            return true
        }
        return query.envelope(positions, id: { state.organizations[$0].id }, render: { state.json(state.organizations[$0]) })
    }

    mutating func createOrganization(_ body: [String: Any], now: Date) throws(WorkOSErrorResponse) -> HTTPResponse {
        guard let name = body["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid("name", "required", "name is required.")
        }
        let stamp = Timestamp.format(now)
        var organization = WorkOSOrganization(
            id: state.ids.next("org", at: now), name: name, externalID: nil, domains: [], metadata: [:],
            createdAt: stamp, updatedAt: stamp)
        try apply(body, to: &organization, now: now)
        state.organizations.append(organization)
        reindex()
        let object = state.json(organization)
        record("organization.created", organizationID: organization.id, data: object, now: now)
        return JSONWriter.response(201, object)
    }

    mutating func updateOrganization(
        _ id: String, _ body: [String: Any], now: Date
    ) throws(WorkOSErrorResponse)
        -> HTTPResponse
    {
        let position = try organization(id)
        var organization = state.organizations[position]
        if let name = body["name"] {
            guard let name = name as? String, !name.isEmpty else { throw .invalid("name", "invalid", "name must be a string.") }
            organization.name = name
        }
        if body.keys.contains("stripe_customer_id") { organization.stripeCustomerID = body["stripe_customer_id"] as? String }
        try apply(body, to: &organization, now: now)
        organization.updatedAt = Timestamp.format(now)
        state.organizations[position] = organization
        reindex()
        let object = state.json(organization)
        record("organization.updated", organizationID: organization.id, data: object, now: now)
        return JSONWriter.response(200, object)
    }

    /// The optional fields create and update share: `domain_data`, `domains` (deprecated), `external_id`, `metadata`.
    private mutating func apply(
        _ body: [String: Any], to organization: inout WorkOSOrganization, now: Date
    )
        throws(WorkOSErrorResponse)
    {
        if let wanted = try Self.wantedDomains(body) {
            organization.domains = domains(wanted, replacing: organization.domains, now: now)
        }
        if body.keys.contains("external_id") {
            let externalID = body["external_id"] as? String
            if let externalID, let holder = index.organizationByExternalID[externalID],
                state.organizations[holder].id != organization.id
            {
                throw .externalIDUsed(externalID)
            }
            organization.externalID = externalID
        }
        if let metadata = body["metadata"] {
            if metadata is NSNull {
                organization.metadata = [:]
            } else if let metadata = metadata as? [String: String] {
                organization.metadata = metadata
            } else {
                throw .invalidMetadata
            }
        }
    }

    /// The domains a body asks for, as (lower-cased domain, state): `domain_data` if present, else the deprecated
    /// `domains` list (`legacy_verified`); `nil` when it names neither.
    private static func wantedDomains(_ body: [String: Any]) throws(WorkOSErrorResponse) -> [(domain: String, state: String)]? {
        if let data = body["domain_data"], !(data is NSNull) {
            guard let items = data as? [[String: Any]] else {
                throw .invalid("domain_data", "invalid", "domain_data must be a list of {domain, state}.")
            }
            var wanted: [(domain: String, state: String)] = []
            for item in items {
                guard let domain = item["domain"] as? String, !domain.isEmpty else {
                    throw .invalid("domain_data", "invalid", "Each domain_data entry needs a domain.")
                }
                let domainState = item["state"] as? String ?? "pending"
                guard ["pending", "verified"].contains(domainState) else {
                    throw .invalid("domain_data", "invalid", "A domain's state must be pending or verified.")
                }
                wanted.append((domain.lowercased(), domainState))
            }
            return wanted
        }
        if let data = body["domains"], !(data is NSNull) {
            guard let items = data as? [String] else {
                throw .invalid("domains", "invalid", "domains must be a list of strings.")
            }
            return items.map { ($0.lowercased(), "legacy_verified") }
        }
        return nil
    }

    /// The organization's new domains: existing ones kept (their state updated), new ones minted.
    private mutating func domains(
        _ wanted: [(domain: String, state: String)], replacing existing: [WorkOSDomain], now: Date
    ) -> [WorkOSDomain] {
        let stamp = Timestamp.format(now)
        // A lookup table, not a scan per wanted domain: a body may name many thousands.
        let byName = Dictionary(existing.map { ($0.domain, $0) }, uniquingKeysWith: { first, _ in first })
        return wanted.map { entry in
            if var kept = byName[entry.domain] {
                if kept.state != entry.state {
                    kept.state = entry.state
                    kept.updatedAt = stamp
                }
                return kept
            }
            return WorkOSDomain(
                id: state.ids.next("org_domain", at: now), domain: entry.domain, state: entry.state, createdAt: stamp,
                updatedAt: stamp)
        }
    }

    mutating func deleteOrganization(_ id: String, now: Date) throws(WorkOSErrorResponse) -> HTTPResponse {
        let object = state.json(state.organizations[try organization(id)])
        state.organizations.removeAll { $0.id == id }
        state.connections.removeAll { $0.organizationID == id }
        state.directories.removeAll { $0.organizationID == id }
        state.groups.removeAll { $0.organizationID == id }
        state.users.removeAll { $0.organizationID == id }
        reindex()
        record("organization.deleted", organizationID: id, data: object, now: now)
        return .empty(202)
    }
}

// MARK: - Connections and directories

extension WorkOSStore {
    func listConnections(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> HTTPResponse {
        let query = try WorkOSListQuery(request)
        let organizationID = request.queryValue("organization_id")
        // The spec's filter enum spells `GithubOAuth` where objects say `GitHubOAuth`.
        let type = request.queryValue("connection_type").map { $0 == "GithubOAuth" ? "GitHubOAuth" : $0 }
        let domain = request.queryValue("domain")?.lowercased()
        let search = request.queryValue("search").flatMap { $0.isEmpty ? nil : $0 }
        let positions = state.connections.indices.filter { position in
            let connection = state.connections[position]
            if let organizationID, connection.organizationID != organizationID { return false }
            if let type, connection.connectionType != type { return false }
            if let domain, !connection.domains.contains(where: { $0.domain.lowercased() == domain }) { return false }
            if let search, connection.name.range(of: search, options: .caseInsensitive) == nil { return false }
            return true
        }
        return query.envelope(positions, id: { state.connections[$0].id }, render: { state.json(state.connections[$0]) })
    }

    func listDirectories(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> HTTPResponse {
        let query = try WorkOSListQuery(request)
        let organizationID = request.queryValue("organization_id")
        let domain = request.queryValue("domain")?.lowercased()
        let search = request.queryValue("search").flatMap { $0.isEmpty ? nil : $0 }
        let positions = state.directories.indices.filter { position in
            let directory = state.directories[position]
            if let organizationID, directory.organizationID != organizationID { return false }
            if let domain, directory.domain?.lowercased() != domain { return false }
            if let search, directory.name.range(of: search, options: .caseInsensitive) == nil { return false }
            return true
        }
        return query.envelope(
            positions, id: { state.directories[$0].id }, render: { state.json(state.directories[$0], index: index) })
    }
}

// MARK: - Directory users and groups

extension WorkOSStore {
    func listDirectoryUsers(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> HTTPResponse {
        let query = try WorkOSListQuery(request)
        var positions: [Int]
        if let group = request.queryValue("group") {
            guard index.group[group] != nil else { throw .notFound("Directory group", group) }
            positions = index.usersByGroup[group] ?? []
        } else if let directory = request.queryValue("directory") {
            guard index.directory[directory] != nil else { throw .notFound("Directory", directory) }
            positions = index.usersByDirectory[directory] ?? []
        } else {
            throw .invalid("directory", "required", "Either directory or group is required.")
        }
        if request.queryValue("group") != nil, let directory = request.queryValue("directory") {
            positions = positions.filter { state.users[$0].directoryID == directory }
        }
        if let idpID = request.queryValue("idp_id") { positions = positions.filter { state.users[$0].idpID == idpID } }
        if let email = request.queryValue("email")?.lowercased() {
            positions = positions.filter { !email.isEmpty && state.users[$0].email.lowercased() == email }
        }
        return query.envelope(positions, id: { state.users[$0].id }, render: { state.json(state.users[$0], index: index) })
    }

    func listDirectoryGroups(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> HTTPResponse {
        let query = try WorkOSListQuery(request)
        var positions: [Int]
        if let user = request.queryValue("user") {
            guard let position = index.user[user] else { throw .notFound("Directory user", user) }
            positions = state.users[position].groupIDs.compactMap { index.group[$0] }.sorted()
        } else if let directory = request.queryValue("directory") {
            guard index.directory[directory] != nil else { throw .notFound("Directory", directory) }
            positions = index.groupsByDirectory[directory] ?? []
        } else {
            throw .invalid("directory", "required", "Either directory or user is required.")
        }
        if request.queryValue("user") != nil, let directory = request.queryValue("directory") {
            positions = positions.filter { state.groups[$0].directoryID == directory }
        }
        return query.envelope(positions, id: { state.groups[$0].id }, render: { state.json(state.groups[$0]) })
    }
}

// MARK: - Admin Portal and events

extension WorkOSStore {
    static let portalIntents: Set = [
        "sso", "dsync", "audit_logs", "log_streams", "domain_verification", "certificate_renewal", "bring_your_own_key",
    ]

    func generatePortalLink(_ body: [String: Any]) throws(WorkOSErrorResponse) -> HTTPResponse {
        guard let organizationID = body["organization"] as? String, !organizationID.isEmpty else {
            throw .invalid("organization", "required", "organization is required.")
        }
        _ = try organization(organizationID)
        if let intent = body["intent"], !(intent is NSNull) {
            guard let intent = intent as? String, Self.portalIntents.contains(intent) else {
                throw .invalid(
                    "intent", "invalid", "intent must be one of \(Self.portalIntents.sorted().joined(separator: ", ")).")
            }
        }
        let secret = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return JSONWriter.response(201, ["link": "https://setup.workos.test/portal/launch?secret=\(secret)"])
    }

    func listEvents(_ request: HTTPRequest) throws(WorkOSErrorResponse) -> HTTPResponse {
        let query = try WorkOSListQuery(request, defaultOrder: profile.eventsDefaultOrder)
        let types = Set(request.listValues("events"))
        let organizationID = request.queryValue("organization_id")
        func bound(_ name: String) throws(WorkOSErrorResponse) -> Date? {
            guard let text = request.queryValue(name) else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw .invalid(name, "invalid", "\(name) must be an ISO-8601 timestamp.")
            }
            return date
        }
        let start = try bound("range_start")
        let end = try bound("range_end")
        let positions = state.events.indices.filter { position in
            let event = state.events[position]
            if !types.isEmpty, !types.contains(event.event) { return false }
            if let organizationID, event.organizationID != organizationID { return false }
            if start != nil || end != nil, let date = Timestamp.parse(event.createdAt) {
                if let start, date < start { return false }
                if let end, date > end { return false }
            }
            return true
        }
        let page = WorkOSPage(
            count: positions.count, id: { state.events[positions[$0]].id }, order: query.order, limit: query.limit,
            before: query.before, after: query.after)
        return JSONWriter.response(
            200,
            [
                "object": "list",
                "data": page.positions.map { state.json(state.events[positions[$0]]) },
                "list_metadata": ["after": page.after ?? NSNull()] as [String: Any],
            ] as [String: Any])
    }
}
