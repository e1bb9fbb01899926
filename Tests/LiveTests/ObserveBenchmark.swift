import Foundation
import Live
import Operations
import Planner
import Sandbox
import Testing

/// Requests and time the Observer needs for a 50,000-person tenant against the sandbox (no rate limit).
/// Opt-in (`STOICPROV_BENCH=1`, run by `scripts/bench-observe`); prints the figures.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["STOICPROV_BENCH"] == "1"))
struct ObserveBenchmark {
    @Test func observesAFiftyThousandPersonTenant() async throws {
        let people = Int(ProcessInfo.processInfo.environment["BENCH_PEOPLE"] ?? "50000") ?? 50000
        var configuration = SandboxConfiguration()
        configuration.seed = .yaml(
            """
            thinkific:
              sites:
                - subdomain: stoic
                  courses:
                    - { id: 101, name: Foundations, slug: foundations }
                  groups:
                    - { name: P&G 2026 }
                  generate: { count: \(people), domain: pg.com }
            workos:
              organizations:
                - name: P&G
                  external_id: pg
                  domains: [pg.com]
                  directories:
                    - name: P&G SCIM
                      groups: [Learners, Managers, Finance]
                      people:
                        - generate: { count: \(people), domain: pg.com, groups: { Learners: 0.6, Managers: 0.1, Finance: 0.3 } }
            scim:
              apps:
                - { name: insights }
            """, name: "bench")
        let server = try SandboxServer(configuration)
        let root = try server.start()
        defer { server.stop() }
        let observer = try Observer(
            settings: ClientSettings.sandbox(root),
            resolver: SecretResolver(workspace: URL(fileURLWithPath: "/"), environment: [:]))
        let request = ObservationRequest(
            tenant: "pg", domains: ["pg.com"],
            thinkific: ThinkificScope(courseSlugs: ["foundations"], groupNames: ["P&G 2026"]),
            workos: WorkOSScope(organizationExternalID: "pg", readsDirectory: true, idpGroups: ["Learners", "Managers"]),
            scim: [SCIMScope(app: "insights", groupNames: ["learners"])])
        let start = ContinuousClock.now
        let tenant = try await observer.observe(request)
        let elapsed = ContinuousClock.now - start
        let directory = try #require(tenant.directory)
        let learners = directory.users.filter { $0.groups.contains("Learners") }.count
        let managers = directory.users.filter { $0.groups.contains("Managers") }.count
        // The fewest the APIs allow for this read: WorkOS org + connections + directories + groups + users per mapped
        // group at 100 a page; Thinkific courses + groups + one empty enrollment page + one empty group page + the
        // user listing at 250 a page (the cheaper route for this many candidates); SCIM one page per domain + group.
        let fewestWorkOS = 4 + (learners + 99) / 100 + (managers + 99) / 100
        let fewestThinkific = 4 + (people + 249) / 250
        print(
            "observe: \(people) people (\(directory.users.count) in mapped groups, \(tenant.thinkific?.users.count ?? 0) Thinkific users)"
                + " in \(elapsed); requests: "
                + observer.requests.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.requests)" }.joined(separator: ", ")
                + "; fewest possible: workos \(fewestWorkOS), thinkific \(fewestThinkific);"
                + " route: \(observer.thinkificRoutes["pg"].map { "\($0)" } ?? "-")")
        #expect(observer.requests["workos"]?.requests == fewestWorkOS)
        #expect(observer.requests["thinkific"]?.requests == fewestThinkific)
    }
}
