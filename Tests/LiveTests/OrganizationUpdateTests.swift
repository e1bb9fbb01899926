import Foundation
import Planner
import TestSupport
import Testing

@testable import Live

/// `PUT /organizations/{id}` never weakens a domain's state (issue 10): WorkOS sets every domain named in
/// `domain_data` to the state given there, so `domain_data` is sent only when the domains change, and then restates
/// each kept domain no weaker than it is.
@Suite struct OrganizationUpdateTests {
    static let organization = """
        {"object":"organization","id":"org_1","name":"P&G","external_id":"pg","domains":[
          {"object":"organization_domain","id":"d1","domain":"pg.com","state":"verified"},
          {"object":"organization_domain","id":"d2","domain":"old.pg.com","state":"legacy_verified"},
          {"object":"organization_domain","id":"d3","domain":"try.pg.com","state":"failed"}]}
        """

    func update(domains: [String]) async throws -> [String: Any] {
        let transport = RecordedTransport(handler: { _ in .json(200, Self.organization) })
        let connection = WorkOSClient.channel(
            apiKey: Secret("sk_1"), baseURL: "https://api.workos.test", policy: ChannelPolicy(maxAttempts: 1),
            transport: transport, environment: TestClock().environment)
        _ = try await WorkOSClient(channel: connection).updateOrganization(id: "org_1", name: "P&G Co.", domains: domains)
        #expect(transport.requests.map(\.method) == ["GET", "PUT"])
        let put = try #require(transport.requests.last)
        #expect(put.url.path == "/organizations/org_1")
        return try #require(try JSONSerialization.jsonObject(with: put.body ?? Data()) as? [String: Any])
    }

    @Test func aRenameSendsNoDomainData() async throws {
        let body = try await update(domains: ["PG.com", "old.pg.com", "try.pg.com"])
        #expect(body["name"] as? String == "P&G Co.")
        #expect(body["domain_data"] == nil, "the same domains: WorkOS keeps them as they are")
    }

    @Test func changedDomainsKeepEachKeptDomainsState() async throws {
        let body = try await update(domains: ["pg.com", "old.pg.com", "try.pg.com", "new.pg.com"])
        let data = try #require(body["domain_data"] as? [[String: String]])
        #expect(
            data == [
                ["domain": "pg.com", "state": "verified"], ["domain": "old.pg.com", "state": "verified"],
                ["domain": "try.pg.com", "state": "pending"], ["domain": "new.pg.com", "state": "pending"],
            ])
    }

    @Test func aDroppedDomainIsLeftOutAndTheOthersKeepTheirState() async throws {
        let body = try await update(domains: ["pg.com"])
        #expect(body["domain_data"] as? [[String: String]] == [["domain": "pg.com", "state": "verified"]])
    }
}
