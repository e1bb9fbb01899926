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

    /// `PUT /organizations/{id}`: name and domains.
    public func updateOrganization(id: String, name: String, domains: [String]) async throws(LiveError) -> Int {
        let path = "/organizations/" + HTTPChannel.pathSegment(id)
        let body = jsonBody(["name": name, "domain_data": domains.map { ["domain": $0, "state": "pending"] }])
        let response = try await channel.send("PUT", path, body: body, headers: Self.jsonHeaders)
        try expect(response, [200, 201, 204], method: "PUT", path: path)
        return response.status
    }
}
