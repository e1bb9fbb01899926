import Apply
import Foundation
import Live
import Operations
import Planner
import Sandbox
import Testing

/// The measurement behind `scripts/bench-apply-ratelimit`: not a timed assertion, only run when the script sets
/// `BENCH_APPLY_RATE` (requests per minute, on both sides) and `BENCH_APPLY_OUT` (where the figures go).
@Suite struct ApplyE2EBenchmark {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["BENCH_APPLY_RATE"] != nil && environment["BENCH_APPLY_OUT"] != nil))
    func applyAtTheThinkificRateLimit() async throws {
        let rate = Int(Self.environment["BENCH_APPLY_RATE"]!)!
        let people = Int(Self.environment["BENCH_APPLY_PEOPLE"] ?? "50")!
        var configuration = SandboxConfiguration()
        configuration.rateLimits = try RateLimitPolicy.parse("thinkific=\(rate)/min")
        let server = try SandboxServer(configuration)
        let root = try server.start()
        defer { server.stop() }
        let e2e = ApplyE2ESandboxTests()
        let clients = ApplyClients(thinkific: e2e.clients(root, thinkificRate: Double(rate)).thinkific)
        let thePlan = e2e.acmePlan(people: people, scim: false)
        var tenant = thePlan.tenants[0]
        tenant.changes.removeAll { $0.destination != .thinkific }
        let report = await Executor(clients: clients, options: ApplyOptions(parallelism: 4)).apply(plan(tenant))
        #expect(!report.hasFailures)
        let stats = try await e2e.stats(root)
        let requests = report.tenants[0].requests["thinkific"]?.requests ?? 0
        let achieved = Double(requests) / report.seconds * 60
        let line =
            "limit \(rate)/min · \(requests) requests in \(String(format: "%.1f", report.seconds)) s · achieved "
            + "\(String(format: "%.1f", achieved))/min (\(String(format: "%.1f", achieved / Double(rate) * 100)) % of the limit) · "
            + "429s from the sandbox: \(stats["rate_limited"] as? Int ?? -1) · changes done: \(report.changes.count { $0.outcome.isDone })"
            + "/\(report.changes.count)\n"
        try line.write(toFile: Self.environment["BENCH_APPLY_OUT"]!, atomically: true, encoding: .utf8)
    }
}
