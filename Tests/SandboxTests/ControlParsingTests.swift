import Foundation
import Spec
import Testing

@testable import Sandbox

/// Pure parsing: query strings, request heads, the `--faults` and `--rate-limit` grammars, seeds.
@Suite struct ControlParsingTests {
    @Test func queryDecoding() {
        let items = HTTPRequest.parseQuery("a=1&a=2&q%5Bx%5D=%E2%9C%93&sp=a+b%20c&bad=%zz%4&empty=&novalue&&")
        #expect(items.map(\.name) == ["a", "a", "q[x]", "sp", "bad", "empty", "novalue"])
        #expect(items.map(\.value) == ["1", "2", "✓", "a b c", "%zz%4", "", ""])
        #expect(HTTPRequest.percentDecode("a+b%2Fc") == "a+b/c")
    }

    @Test func requestHeadParsing() throws {
        let text = "\r\nPOST http://example.com/fake/x?y=1#frag HTTP/1.1\r\nHost: a\r\nX-Two:  spaced value \r\n"
        guard case .request(let head) = RequestHead.parse(ArraySlice(Array(text.utf8))) else {
            Issue.record("expected a request")
            return
        }
        #expect(head.method == "POST")
        #expect(head.path == "/fake/x")
        #expect(head.rawQuery == "y=1")
        #expect(head.headers["x-two"] == "spaced value")
        #expect(head.wantsKeepAlive)
    }

    @Test func faultSpecGrammar() throws {
        let plan = try FaultPlan.parse("thinkific:5xx=0.06,drop=0.02,lost=0.01;scim:429=0.1;*:500=0.5")
        let thinkific = plan.probabilities(for: "thinkific")
        #expect(abs((thinkific[.badGateway] ?? 0) - 0.02) < 1e-12)
        #expect(thinkific[.drop] == 0.02)
        #expect(plan.probabilities(for: "scim") == [.tooManyRequests: 0.1])
        #expect(plan.probabilities(for: "workos") == [.internalServerError: 0.5])
        #expect(plan.fault(for: "scim", roll: 0.05) == .tooManyRequests)
        #expect(plan.fault(for: "scim", roll: 0.5) == nil)
        #expect(try FaultPlan.parse("none").isEmpty)
        for bad in ["thinkific", "thinkific:oops=0.1", "x:500=2", "x:500=0.6,503=0.6", ":500=0.1", "x:500"] {
            #expect(throws: SandboxError.self) { try FaultPlan.parse(bad) }
        }
    }

    @Test func rateLimitGrammar() throws {
        let policy = try RateLimitPolicy.parse("thinkific=120/min,workos=10/s,scim=1000/h")
        #expect(policy.limits["thinkific"] == .init(requests: 120, window: 60))
        #expect(policy.limits["workos"] == .init(requests: 10, window: 1))
        #expect(policy.limits["scim"] == .init(requests: 1000, window: 3600))
        #expect(try RateLimitPolicy.parse("none").limits.isEmpty)
        for bad in ["thinkific", "thinkific=0/min", "thinkific=5/day", "=5/min", "thinkific=x/min"] {
            #expect(throws: SandboxError.self) { try RateLimitPolicy.parse(bad) }
        }
    }

    @Test func seedTopLevelMustBeKnownSections() throws {
        let location = SourceLocation(file: "seed.yaml", line: 3, column: 1)
        let root = Node(
            .mapping([
                Pair(
                    key: Node(.scalar(Scalar("thinkific")), at: location),
                    value: Node(.mapping([]), at: location)),
                Pair(
                    key: Node(.scalar(Scalar("workoss")), at: SourceLocation(file: "seed.yaml", line: 7, column: 1)),
                    value: Node(.mapping([]), at: location)),
            ]), at: SourceLocation(file: "seed.yaml", line: 1, column: 1))
        #expect {
            try SandboxSeed.checkTopLevel(root)
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.location?.line == 7 && diagnostic.message.contains("did you mean 'workos'")
        }
        let list = Node(.sequence([]), at: SourceLocation(file: "seed.yaml", line: 1, column: 1))
        #expect(throws: SandboxError.self) { try SandboxSeed.checkTopLevel(list) }
    }

    @Test func missingSeedFileIsASeedError() {
        #expect {
            _ = try SandboxSeed.load(.file("/nonexistent/seed.yaml"))
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.code == "seed-unreadable"
        }
    }
}

@Suite struct SeedLoadingTests {
    @Test func defaultSeedParsesAndHasTheThreeSections() throws {
        let root = try #require(try SandboxSeed.load(.standard))
        #expect(root.pairs?.compactMap(\.key.string) == ["thinkific", "workos", "scim"])
    }

    @Test func yamlSyntaxErrorsCarryTheirPosition() {
        #expect {
            _ = try SandboxSeed.load(.yaml("thinkific:\n  sites: [unclosed\n", name: "broken.yaml"))
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.location?.file == "broken.yaml" && (diagnostic.location?.line ?? 0) >= 2
        }
    }

    @Test func unknownSectionInYAMLIsReportedWhereItIs() {
        #expect {
            _ = try SandboxSeed.load(.yaml("scim:\n  apps: []\nthinkfic: {}\n", name: "seed.yaml"))
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.location == SourceLocation(file: "seed.yaml", line: 3, column: 1)
                && diagnostic.message.contains("did you mean 'thinkific'")
        }
    }
}
