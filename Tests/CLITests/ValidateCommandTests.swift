import Foundation
import Testing

/// `stoicprov validate` and `stoicprov schema` as a user runs them: stdout, stderr and exit code of the built binary.
@Suite struct ValidateCommandTests {
    static let broken = "Tests/SpecTests/Fixtures/brokenWorkspaceDiagnostics"

    @Test func examplesAreClean() throws {
        let result = try BinaryRunner.run(["validate", "examples"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "examples: 3 tenants, 2 rosters (37 people) — no problems\n")
        #expect(result.stderr == "")
    }

    @Test func defaultDirectoryIsTheCurrentOne() throws {
        let result = try BinaryRunner.run(["validate"], in: BinaryRunner.root.appendingPathComponent("examples"))
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(".: 3 tenants"))
    }

    @Test func brokenWorkspaceExitsOneWithPositionedErrorsAndCarets() throws {
        let result = try BinaryRunner.run(["validate", Self.broken])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(Self.broken)/tenants/acme.yaml:"))
        #expect(result.stdout.contains(": error: "))
        #expect(result.stdout.contains("^"))
        #expect(result.stdout.hasSuffix(" warnings\n") || result.stdout.hasSuffix(" warning\n"))
        #expect(!result.stdout.contains("sk_live"), "a literal secret must never be printed")
    }

    @Test func githubFormatPrintsAnnotations() throws {
        let result = try BinaryRunner.run(["validate", Self.broken, "--format", "github"])
        #expect(result.status == 1)
        let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
        #expect(!annotations.isEmpty)
        #expect(annotations.contains { $0.hasPrefix("::error file=\(Self.broken)/tenants/acme.yaml,line=") })
        #expect(!result.stdout.contains("sk_live"))
    }

    @Test func jsonFormatPrintsAnArrayOnStdout() throws {
        let result = try BinaryRunner.run(["validate", Self.broken, "--format=json"])
        #expect(result.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(array.contains { $0["code"] as? String == "unknown-key" })
        #expect(array.allSatisfy { $0["severity"] != nil && $0["message"] != nil })
        #expect(!result.stdout.contains("sk_live"))
    }

    @Test func badFlagIsAUsageErrorWithAOneLineHint() throws {
        let result = try BinaryRunner.run(["validate", "--fromat", "json"])
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("did you mean '--format'?"))
    }

    @Test func badFormatIsAUsageError() throws {
        let result = try BinaryRunner.run(["validate", "--format", "xml"])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpPrintsUsage() throws {
        let result = try BinaryRunner.run(["validate", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("usage: stoicprov validate [DIR]"))
    }

    @Test func missingDirectoryFails() throws {
        let result = try BinaryRunner.run(["validate", "no-such-workspace"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("no-such-workspace"))
    }

    @Test func schemaPrintsTheCommittedTenantSchema() throws {
        let result = try BinaryRunner.run(["schema"])
        #expect(result.status == 0)
        let committed = try String(
            contentsOf: BinaryRunner.root.appendingPathComponent("schema/tenant.schema.json"), encoding: .utf8)
        #expect(result.stdout == committed)
    }

    @Test func schemaWritesBothFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try BinaryRunner.run(["schema", "--out", directory.path])
        #expect(result.status == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(written == ["stoicprov.schema.json", "tenant.schema.json"])
    }
}
