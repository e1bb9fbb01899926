import Foundation
import TestSupport
import Testing

/// Issue 15 end to end: `stoicprov apply` of the examples through a reverse proxy in front of a `stoicprov sandbox`
/// process, for each way such a proxy behaves. The apply must converge (a second plan has no changes) without a
/// request stalling, and every write must arrive upstream with the body it was sent with.
@Suite(.serialized) struct ProxyApplyTests {
    @Test(arguments: ReverseProxy.Behaviour.all)
    func applyThroughAProxyConvergesWithEveryBody(_ behaviour: ReverseProxy.Behaviour) throws {
        let fixture = try ApplyCLIFixture()
        let port = try #require(URL(string: fixture.sandbox.url)?.port)
        let proxy = try ReverseProxy(upstreamPort: port, behaviour: behaviour)
        defer { proxy.stop() }

        let started = Date()
        let applied = try ApplyCLIFixture.Child(["apply", ".", "--auto-approve", "--sandbox", proxy.url], in: fixture.workspace)
            .wait(timeout: 240)
        #expect(applied.status == 0, "\(behaviour): \(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("0 failed"), "\(behaviour): \(applied.stdout)")
        let applySeconds = Date().timeIntervalSince(started)

        let again = try ApplyCLIFixture.Child(["plan", "--detailed-exitcode", "--sandbox", proxy.url], in: fixture.workspace)
            .wait(timeout: 120)
        #expect(again.status == 0 && again.stdout.contains("No changes"), "\(behaviour): \(again.stdout)\(again.stderr)")

        let exchanges = proxy.exchanges
        let writes = exchanges.filter { ($0.declaredLength ?? 0) > 0 }
        #expect(writes.count >= 20, "\(behaviour): only \(writes.count) writes went through the proxy")
        #expect(!exchanges.contains { $0.isMissingBody }, "\(behaviour): \(exchanges.filter(\.isMissingBody))")
        let slow = exchanges.filter { $0.seconds > 10 }
        #expect(slow.isEmpty, "\(behaviour): \(slow)")
        #expect(applySeconds < 120, "\(behaviour): apply took \(applySeconds) s")
    }
}
