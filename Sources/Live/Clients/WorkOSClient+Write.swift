import Foundation
import Planner

/// The write side of the WorkOS API: the tenant's organization (contracts/workos.md §3). POSTs carry an
/// `Idempotency-Key`, so the connection may resend them after a lost answer.
extension WorkOSClient {
    static let jsonHeaders = [(name: "Content-Type", value: "application/json")]

    /// `POST /organizations` with `external_id`. An organization that already has the `external_id` (400
    /// `external_id_already_used`, or a 409) is looked up by external id and adopted; another 400 stands.
    public func createOrganization(
        externalID: String, name: String, domains: [String], idempotencyKey: String
    ) async throws(LiveError) -> WriteResult<String> {
        let body = jsonBody([
            "name": name, "external_id": externalID,
            "domain_data": domains.map { ["domain": $0, "state": "pending"] },
        ])
        return try await idempotentCreate(
            what: "/organizations (\(externalID))",
            lookup: { () async throws(LiveError) in try await self.organization(externalID: externalID)?.id },
            post: { () async throws(LiveError) in
                try await channel.send(
                    "POST", "/organizations", body: body,
                    headers: Self.jsonHeaders + [(name: "Idempotency-Key", value: idempotencyKey)], isIdempotent: true)
            },
            createdID: { (response: TransportResponse) throws(LiveError) in
                guard let id = jsonField(response.body, "id") as? String else {
                    throw .malformedResponse(method: "POST", path: "/organizations", reason: "missing id")
                }
                return id
            })
    }

    /// `PUT /organizations/{id}`: the name, and `domain_data` only when the set of domains changes.
    ///
    /// WorkOS sets each domain named in `domain_data` to the state given there, so restating a verified domain as
    /// `pending` would downgrade it. The organization is read first (its domains' states as they are now, not as
    /// planned): with the same domains only `name` is sent; otherwise every domain it keeps is restated with a state
    /// no weaker than its own (`OrganizationDomains.restated`), and only new ones are `pending`.
    public func updateOrganization(id: String, name: String, domains: [String]) async throws(LiveError) -> Int {
        let path = "/organizations/" + HTTPChannel.pathSegment(id)
        let current = try await channel.getJSON(WireOrganization.self, path).organization
        var fields: [String: Any] = ["name": name]
        if let domainData = OrganizationDomains.restated(current.domains, as: domains) {
            fields["domain_data"] = domainData.map { ["domain": $0.domain, "state": $0.state] }
        }
        let response = try await channel.send("PUT", path, body: jsonBody(fields), headers: Self.jsonHeaders)
        try expect(response, [200, 201, 204], method: "PUT", path: path)
        return response.status
    }
}

/// The `domain_data` of an organization update (contracts/workos.md §3: each entry `{domain, state}`, state
/// `pending` or `verified`).
enum OrganizationDomains {
    /// `nil` when `wanted` names the same domains as `existing` (case-insensitively): then no `domain_data` is sent
    /// and WorkOS keeps every domain as it is. Otherwise `wanted` in order, each kept domain with a state no weaker
    /// than its own — `verified` and `legacy_verified` stay `verified`; `pending`, `unverified`, `failed` or an
    /// unknown state are `pending` — and each new one `pending`.
    static func restated(_ existing: [WorkOSDomain], as wanted: [String]) -> [(domain: String, state: String)]? {
        var states: [String: String?] = [:]
        for domain in existing { states[domain.domain.lowercased()] = domain.state }
        var seen: Set<String> = []
        let wantedNames = wanted.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        guard Set(wantedNames) != Set(states.keys) else { return nil }
        return wantedNames.map { name in
            let state = states[name] ?? nil
            let verified = state == "verified" || state == "legacy_verified"
            return (name, verified ? "verified" : "pending")
        }
    }
}
