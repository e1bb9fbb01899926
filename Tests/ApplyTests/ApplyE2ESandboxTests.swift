import Apply
import Foundation
import Live
import Operations
import Planner
import Sandbox
import TestSupport
import Testing

/// Hand-built plans carried out against an in-process sandbox over real loopback HTTP, then counted through the APIs.
@Suite(.serialized) struct ApplyE2ESandboxTests {
    static let domain = "acme.example"

    func startSandbox(faults: String = "none", rateLimit: String = "none") throws -> (SandboxServer, String) {
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan.parse(faults)
        configuration.rateLimits = try RateLimitPolicy.parse(rateLimit)
        configuration.faultSeed = 7
        let server = try SandboxServer(configuration)
        return (server, try server.start())
    }

    /// Clients on the sandbox's default credentials. Short backoff: the faults are injected, not a server in trouble.
    /// A 3 s timeout: a lost response must not stall the run (dropped connections surface at once).
    func clients(_ root: String, thinkificRate: Double? = nil) -> ApplyClients {
        let policy = ChannelPolicy(maxAttempts: 8, baseDelay: 0.02, maxDelay: 2, timeout: 3)
        var thinkificPolicy = policy
        thinkificPolicy.requestsPerMinute = thinkificRate
        return ApplyClients(SandboxClients.observer(root, policy: policy, thinkificPolicy: thinkificPolicy))
    }

    /// A new tenant `acme`: its organization, a Thinkific group, and per person a user, an enrollment in course 101,
    /// the group membership, a SCIM user and its membership of the `acme-learners` group.
    func acmePlan(people: Int, scim: Bool = true) -> Plan {
        var changes = [
            Change(
                id: "workos/organization/acme", kind: .create,
                action: .createOrganization(externalID: "acme", name: "Acme", domains: [Self.domain]), reason: "new tenant"),
            Change(
                id: "thinkific/group/Acme 2026", kind: .create,
                action: .createThinkificGroup(name: "Acme 2026"),
                reason: "named by learners"),
        ]
        if scim {
            changes.append(
                Change(
                    id: "scim/insights/group/acme-learners", kind: .create,
                    action: .createSCIMGroup(app: "insights", displayName: "acme-learners"), reason: "named by learners"))
        }
        for index in 1...people {
            let email = "person\(index)@\(Self.domain)"
            changes += [
                Change(
                    id: "thinkific/user/\(email)", kind: .create,
                    action: .createThinkificUser(email: email, firstName: "P", lastName: "\(index)"), reason: "roster"),
                Change(
                    id: "thinkific/enroll/\(email)/101", kind: .create,
                    action: .enroll(
                        email: email, userID: nil, courseSlug: "conscious-leadership-foundations", courseID: 101,
                        activatedAt: "2026-05-04T00:00:00Z", expiryDate: "2026-12-18T23:59:59Z"),
                    reason: "roster", dependsOn: ["thinkific/user/\(email)"]),
                Change(
                    id: "thinkific/groups/\(email)", kind: .create,
                    action: .addToThinkificGroups(email: email, userID: nil, groups: ["Acme 2026"]), reason: "roster",
                    dependsOn: ["thinkific/user/\(email)", "thinkific/group/Acme 2026"]),
            ]
            if scim {
                changes += [
                    Change(
                        id: "scim/insights/user/\(email)", kind: .create,
                        action: .createSCIMUser(
                            app: "insights", userName: email, externalID: nil, givenName: "P", familyName: "\(index)"),
                        reason: "roster"),
                    Change(
                        id: "scim/insights/member/acme-learners/\(email)", kind: .create,
                        action: .addSCIMMember(
                            app: "insights", group: "acme-learners", groupID: nil, userName: email, userID: nil),
                        reason: "roster", dependsOn: ["scim/insights/user/\(email)", "scim/insights/group/acme-learners"]),
                ]
            }
        }
        return plan(tenantPlan(changes, tenant: "acme"))
    }

    func stats(_ root: String) async throws -> [String: Any] {
        let response = try await URLSessionTransport().send(
            TransportRequest(method: "GET", url: try #require(URL(string: root + "/_sandbox/stats"))))
        return try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }

    @Test func underFaultsEveryChangeIsDoneAndNothingIsDuplicated() async throws {
        let rates = "5xx=0.05,drop=0.02,lost=0.01"
        let (server, root) = try startSandbox(faults: "thinkific:\(rates);workos:\(rates);scim:\(rates)")
        defer { server.stop() }
        let people = 60
        let report = await Executor(clients: clients(root)).apply(acmePlan(people: people))
        #expect(!report.hasFailures, "\(report.changes.filter { !$0.outcome.isDone }.prefix(5))")
        #expect(report.changes.count == 3 + 5 * people)
        let faults = try await stats(root)["faults"] as? [String: Int] ?? [:]
        #expect((faults["lost"] ?? 0) > 0 && (faults["drop"] ?? 0) > 0)

        // Count through the APIs (reads are retried through the faults).
        let check = clients(root)
        let thinkific = try #require(check.thinkific)
        let users = try await thinkific.allUsers().filter { $0.email.hasSuffix("@" + Self.domain) }
        #expect(users.count == people)
        #expect(Set(users.map { $0.email.lowercased() }).count == people)
        let enrollments = try await thinkific.enrollments(courseID: 101).filter { $0.userEmail.hasSuffix("@" + Self.domain) }
        #expect(enrollments.count == people)
        #expect(Set(enrollments.map(\.userID)) == Set(users.map(\.id)))
        let groups = try await thinkific.groups().filter { $0.name == "Acme 2026" }
        #expect(groups.count == 1)
        let members = try await thinkific.users(inGroup: try #require(groups.first).id)
        #expect(Set(members.map(\.id)) == Set(users.map(\.id)))
        let scim = try #require(check.scim["insights"])
        let scimUsers = try await scim.allUsers().filter { $0.userName.hasSuffix("@" + Self.domain) }
        #expect(scimUsers.count == people)
        let scimGroup = try await scim.groups(filter: nil).filter { $0.displayName == "acme-learners" }
        #expect(scimGroup.count == 1)
        #expect(Set(scimGroup.first?.memberIDs ?? []) == Set(scimUsers.map(\.id)))
        let organizations = try await check.workos!.channel.send("GET", "/organizations", query: [("limit", "100")])
        let listed = try JSONSerialization.jsonObject(with: organizations.body) as? [String: Any]
        let acme = (listed?["data"] as? [[String: Any]] ?? []).filter { $0["external_id"] as? String == "acme" }
        #expect(acme.count == 1)
    }

    @Test func atARateLimitTheClientPacesInsteadOfDrawing429s() async throws {
        // Scaled down from Thinkific's 120/min to 10/s to keep the test short; scripts/bench-apply-ratelimit measures
        // the achieved rate.
        let (server, root) = try startSandbox(rateLimit: "thinkific=10/s")
        defer { server.stop() }
        let report = await Executor(clients: clients(root, thinkificRate: 600)).apply(acmePlan(people: 12, scim: false))
        #expect(!report.hasFailures)
        let thinkificRequests = report.tenants[0].requests["thinkific"]?.requests ?? 0
        #expect(thinkificRequests >= 48)
        let limited = try await stats(root)["rate_limited"] as? Int ?? -1
        // No storm: a 429 can only come from network jitter at a fixed window's edge, and each one pauses the client
        // until the window resets.
        #expect(limited >= 0 && limited * 10 <= thinkificRequests, "429s: \(limited) of \(thinkificRequests) requests")
    }
}
