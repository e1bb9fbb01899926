import Foundation
import TestSupport
import Testing

/// Every hostile YAML file, placed as a tenant file in an otherwise good workspace, fails validation with a
/// positioned error: no crash, no hang.
@Suite struct HostileFixtureTests {
    static let hostile = BinaryRunner.root.appendingPathComponent("Tests/SpecTests/Fixtures/hostile")

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: hostile.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// A copy of the examples with `data` as one more tenant file named `name`.
    private func workspace(withTenant name: String, data: Data) throws -> URL {
        let directory = try Scratch.examples("hostile")
        try data.write(to: directory.appendingPathComponent("tenants/\(name)"))
        return directory
    }

    private func expectPositionedFailure(tenant name: String, data: Data) throws {
        let directory = try workspace(withTenant: name, data: data)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try BinaryRunner.run(["validate", "."], in: directory, timeout: 60)
        #expect(result.exitedNormally, "\(name): crashed")
        #expect(result.status == 1, "\(name): \(result.stdout)")
        let positioned = try Regex(#"(?m)^tenants/\#(name):\d+:\d+: error: "#)
        #expect(result.stdout.contains(positioned), "\(name): \(result.stdout.prefix(500))")
    }

    @Test func corpusIsPresent() {
        #expect(Self.fixtures.count >= 8, "hostile fixtures: \(Self.fixtures)")
    }

    @Test(arguments: HostileFixtureTests.fixtures)
    func hostileTenantFileFailsWithAPosition(_ name: String) throws {
        let data = try Data(contentsOf: Self.hostile.appendingPathComponent(name))
        let yamlName = name.hasSuffix(".yaml") ? name : name + ".yaml"
        try expectPositionedFailure(tenant: yamlName, data: data)
    }

    @Test func oversizedTenantFileIsRefused() throws {
        let line = "# " + String(repeating: "x", count: 1021) + "\n"
        let data = Data(String(repeating: line, count: 6 * 1024).utf8)
        try expectPositionedFailure(tenant: "huge.yaml", data: data)
    }
}
