import Apply
import Foundation
import Live
import Planner
import Sandbox
import Testing

/// Issue 12: the requests an apply sends, counted by the sandbox (`/_sandbox/stats`), against the fewest the APIs
/// allow, when the plan's preconditions were checked under the tenant's lock.
extension ApplyE2ESandboxTests {
    /// `acmePlan` with the preconditions the planner gives: every object it creates was observed absent.
    func observedAbsentPlan(people: Int, scim: Bool = true) -> Plan {
        var plan = acmePlan(people: people, scim: scim)
        plan.tenants[0].changes = plan.tenants[0].changes.map { change in
            var change = change
            let key: String? =
                switch change.action {
                case .createThinkificGroup(let name): "thinkific/group/\(name)"
                case .createSCIMGroup(let app, let name): "scim/\(app)/group/\(name)"
                case .enroll(let email, _, let slug, _, _, _): "thinkific/enrollment/\(email)/\(slug)"
                case .createThinkificUser(let email, _, _): "thinkific/user/\(email)"
                default: nil
                }
            change.preconditions = key.map { [Precondition(key: $0, observed: nil)] } ?? []
            return change
        }
        return plan
    }

    /// Applies the plan's one tenant as `ApplySession` does: locked, journaled, preconditions checked (here: held).
    func applyUnderLock(_ plan: Plan, clients: ApplyClients, parallelism: Int = 8) async throws -> TenantApplyReport {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-requests-\(UUID())")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let executor = Executor(clients: clients, options: ApplyOptions(parallelism: parallelism, workspace: workspace))
        return await executor.apply(plan.tenants[0], planDigest: "requests", verify: { .success($0) })
    }

    /// Requests per route of a surface since `before`.
    func routes(_ root: String, _ surface: String, since before: [String: Any] = [:]) async throws -> [String: Int] {
        let now = try await stats(root)
        func counts(_ stats: [String: Any]) -> [String: Int] {
            ((stats["surfaces"] as? [String: Any])?[surface] as? [String: Any])?["routes"] as? [String: Int] ?? [:]
        }
        let old = counts(before)
        return counts(now).reduce(into: [:]) { result, entry in
            let delta = entry.value - (old[entry.key] ?? 0)
            if delta > 0 { result[entry.key] = delta }
        }
    }

    @Test func observedAbsentCreatesAreSentWithoutLookupsAndMembershipsInBatches() async throws {
        let (server, root) = try startSandbox()
        defer { server.stop() }
        let people = 150
        let report = try await applyUnderLock(observedAbsentPlan(people: people), clients: clients(root))
        #expect(report.changes.count == 3 + 5 * people)
        let failed = report.changes.filter { !$0.outcome.isDone }
        #expect(failed.isEmpty, "\(failed.prefix(3))")

        // Exactly one request per change: no lookups before creates (the observation under the lock said absent).
        let thinkific = try await routes(root, "thinkific")
        #expect(
            thinkific == [
                "POST /users": people, "POST /groups": 1, "POST /group_users": people, "POST /enrollments": people,
            ], "\(thinkific)")
        // SCIM: users one by one, the group once, its 150 members in ⌈150 / 100⌉ = 2 PATCHes.
        let scim = try await routes(root, "scim")
        #expect(
            scim == ["POST /{app}/v2/Users": people, "POST /{app}/v2/Groups": 1, "PATCH /{app}/v2/Groups/{id}": 2],
            "\(scim)")
        let check = clients(root)
        let members = try await check.scim["insights"]!.groups(filter: nil).first { $0.displayName == "acme-learners" }
        #expect(members?.memberIDs.count == people)
        let enrolled = try await check.thinkific!.enrollments(courseID: 101)
        #expect(enrolled.count { $0.userEmail.hasSuffix("@" + Self.domain) } == people)
    }

    @Test func withoutTheLockedObservationEnrollmentsAreLookedUpFirst() async throws {
        let (server, root) = try startSandbox()
        defer { server.stop() }
        let people = 5
        // No verify step: nothing vouches for the plan's observation, so creates look first, as before issue 12.
        let report = await Executor(clients: clients(root)).apply(observedAbsentPlan(people: people, scim: false))
        #expect(!report.hasFailures)
        let thinkific = try await routes(root, "thinkific")
        #expect(thinkific["GET /enrollments"] == people, "\(thinkific)")
        #expect(thinkific["GET /groups"] == 1, "\(thinkific)")
    }

    @Test func underFaultsTheObservedAbsentPathMakesNoDuplicates() async throws {
        let rates = "5xx=0.05,drop=0.02,lost=0.01"
        let (server, root) = try startSandbox(faults: "thinkific:\(rates);workos:\(rates);scim:\(rates)")
        defer { server.stop() }
        let people = 60
        let report = try await applyUnderLock(observedAbsentPlan(people: people), clients: clients(root))
        let failed = report.changes.filter { !$0.outcome.isDone }
        #expect(failed.isEmpty, "\(failed.prefix(5))")
        let faults = try await stats(root)["faults"] as? [String: Int] ?? [:]
        #expect((faults["lost"] ?? 0) > 0 && (faults["drop"] ?? 0) > 0)

        let check = clients(root)
        let thinkific = try #require(check.thinkific)
        let users = try await thinkific.allUsers().filter { $0.email.hasSuffix("@" + Self.domain) }
        #expect(users.count == people && Set(users.map { $0.email.lowercased() }).count == people)
        let enrollments = try await thinkific.enrollments(courseID: 101).filter { $0.userEmail.hasSuffix("@" + Self.domain) }
        #expect(enrollments.count == people)
        #expect(Set(enrollments.map(\.userID)) == Set(users.map(\.id)))
        let groupsNamed = try await thinkific.groups()
        #expect(groupsNamed.count { $0.name == "Acme 2026" } == 1)
        let scim = try #require(check.scim["insights"])
        let scimUsers = try await scim.allUsers().filter { $0.userName.hasSuffix("@" + Self.domain) }
        #expect(scimUsers.count == people)
        let groups = try await scim.groups(filter: nil).filter { $0.displayName == "acme-learners" }
        #expect(groups.count == 1)
        #expect(Set(groups.first?.memberIDs ?? []) == Set(scimUsers.map(\.id)))
    }

    @Test func membersOfOneGroupAreRemovedInOnePatch() async throws {
        let (server, root) = try startSandbox()
        defer { server.stop() }
        let check = clients(root)
        let scim = try #require(check.scim["insights"])
        let group = try await scim.createGroup(displayName: "team")
        var users: [String] = []
        for index in 1...3 {
            users.append(
                try await scim.createUser(
                    userName: "m\(index)@\(Self.domain)", externalID: nil, givenName: "M", familyName: "\(index)"
                )
                .id)
        }
        _ = try await scim.addMembers(groupID: group.id, userIDs: users)
        let changes = users.enumerated().map { index, id in
            Change(
                id: "scim/insights/remove/\(index)", kind: .remove,
                action: .removeSCIMMember(app: "insights", group: "team", groupID: group.id, userName: "m\(index)", userID: id),
                reason: "left")
        }
        let report = await Executor(clients: check).apply(plan(tenantPlan(changes, tenant: "acme")))
        #expect(!report.hasFailures)
        let after = try await scim.groups(filter: nil).first { $0.displayName == "team" }
        #expect(after?.memberIDs.isEmpty == true)
        let patches = try await routes(root, "scim")["PATCH /{app}/v2/Groups/{id}"]
        #expect(patches == 2)  // one add (above) and one removal of all three
    }
}
