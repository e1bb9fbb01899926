import Planner

extension Observer {
    func observeSCIM(_ scopes: [SCIMScope], scope: TenantScope, tenant: String) async throws(LiveError) -> [ObservedSCIMApp] {
        var found: [(SCIMScope, SCIMClient)] = []
        for app in scopes {
            guard let client = scim[app.app] else { throw .missingConnection(name: app.app, tenant: tenant) }
            found.append((app, client))
        }
        let clients = found
        return try await concurrently(clients.count) { (index: Int) async throws(LiveError) in
            let (app, client) = clients[index]
            return try await self.observeSCIMApp(app, client: client, scope: scope)
        }.sorted { $0.app < $1.app }
    }

    /// The tenant's users of one app (userName in its domains or one of its people) and the named groups with their
    /// members, by what the app supports (`SCIMClient.tenantUsers`, `group(displayName:)`, `withMembers`).
    func observeSCIMApp(_ app: SCIMScope, client: SCIMClient, scope: TenantScope) async throws(LiveError) -> ObservedSCIMApp {
        async let groupsRead = Self.catching { () async throws(LiveError) in
            try await concurrently(app.groupNames.count) { (index: Int) async throws(LiveError) in
                try await client.groupRead(displayName: app.groupNames[index], sharedListing: true)
            }
        }
        let listing = { () async throws(LiveError) -> [WireSCIMUser] in
            try await client.discovered.listing.value { () async throws(LiveError) in
                try await client.listAll(WireSCIMUser.self, "/Users", filter: nil)
            }
        }
        let outside = scope.candidates.filter { email in !scope.domains.contains { email.hasSuffix("@" + $0) } }
        var users = try await client.tenantUsers(domains: scope.domains, others: outside, listing: listing)
        var seen: Set<String> = []
        users = users.filter { scope.contains($0.user.userName.lowercased()) && seen.insert($0.scimID).inserted }
        let groups = try await client.withMembers(try await groupsRead.get().compactMap { $0 }, users: users)
        return ObservedSCIMApp(
            app: app.app,
            users: users.map(\.user).sorted { ($0.userName.lowercased(), $0.id) < ($1.userName.lowercased(), $1.id) },
            groups: groups.sorted { $0.displayName < $1.displayName })
    }
}
