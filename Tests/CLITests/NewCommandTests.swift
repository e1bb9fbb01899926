import Foundation
import TestSupport
import Testing

/// `stoicprov new` as a user runs it: the file it writes validates with the real `validate`, it never overwrites,
/// bad answers exit 1 with a message, bad flags 64.
@Suite struct NewCommandTests {
    /// A copy of `examples/` in a fresh temporary directory.
    static func workspace() throws -> URL {
        try Scratch.examples("stoicprov-new")
    }

    @Test func writesATenantFileThatValidatesWithTheWorkspace() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try BinaryRunner.run(
            ["new", "acme", "--idp", "okta", "--domain", "acme.com", "--name", "Acme Corp", "--seats", "40"], in: workspace)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote tenants/acme.yaml\n"))
        let text = try String(contentsOf: workspace.appendingPathComponent("tenants/acme.yaml"), encoding: .utf8)
        #expect(text.contains("name: \"Acme Corp\"\n"))
        #expect(text.contains("\nseats: 40\n"))
        // The access rule follows the workspace's connections (examples/stoicprov.yaml has dashboard and insights).
        #expect(text.contains("    dashboard: { groups: [learners] }\n    insights: { groups: [learners] }\n"))

        let validate = try BinaryRunner.run(["validate", "."], in: workspace)
        #expect(validate.status == 0, "\(validate.stdout)")
        #expect(validate.stdout == ".: 4 tenants, 2 rosters (37 people) — no problems\n")
    }

    @Test func rosterOnlyTenantValidatesWithOneWarning() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try BinaryRunner.run(
            ["new", "fabrikam", "--idp", "entra", "--domain", "fabrikam.com", "--directory", "none", "--dir", workspace.path])
        #expect(result.status == 0, "\(result.stderr)")
        let validate = try BinaryRunner.run(["validate", workspace.path])
        #expect(validate.status == 0, "\(validate.stdout)")
        #expect(validate.stdout.contains("warning: access rule 'learners' applies to nobody"))
        #expect(validate.stdout.hasSuffix("4 tenants, 2 rosters (37 people) — 1 warning\n"))
    }

    @Test func refusesToOverwrite() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let pg = workspace.appendingPathComponent("tenants/pg.yaml")
        let before = try Data(contentsOf: pg)
        let result = try BinaryRunner.run(["new", "pg", "--idp", "okta", "--domain", "pg-new.com"], in: workspace)
        #expect(result.status == 1)
        #expect(result.stderr == "stoicprov new: tenants/pg.yaml already exists; edit it, or remove it first to start again\n")
        #expect(try Data(contentsOf: pg) == before)
    }

    @Test func stdoutPrintsAndWritesNothing() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try BinaryRunner.run(["new", "acme", "--idp", "google", "--domain", "acme.com", "--stdout"], in: workspace)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("# yaml-language-server: $schema="))
        #expect(result.stdout.contains("sso: { provider: google }"))
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("tenants/acme.yaml").path))
    }

    @Test func badIdExitsOneWithTheValidateMessage() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try BinaryRunner.run(["new", "Acme Corp", "--idp", "okta", "--domain", "acme.com"], in: workspace)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("stoicprov new: tenant id 'Acme Corp' is not a valid id: use 2–63 lower-case"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent("tenants").path).count == 3)
    }

    @Test func badOrClaimedDomainExitsOne() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try BinaryRunner.run(
            ["new", "acme", "--idp", "okta", "--domain", "acme", "--domain", "pg.com"], in: workspace)
        #expect(result.status == 1)
        #expect(
            result.stderr == """
                stoicprov new: 'acme' is not a valid domain (expected something like pg.com)
                stoicprov new: domain pg.com is already claimed by tenant 'pg'

                """)
    }

    @Test(arguments: [
        (["new", "acme", "--idp", "okta", "--domian", "acme.com"], "did you mean '--domain'?"),
        (["new", "acme", "--idp", "azure", "--domain", "acme.com"], "'--idp' must be one of"),
        (["new", "acme", "--domain", "acme.com"], "missing --idp"),
        (["new", "acme", "--idp", "okta"], "missing --domain"),
        (["new", "--idp", "okta", "--domain", "acme.com"], "missing TENANT"),
        (["new", "acme", "--idp", "okta", "--domain", "acme.com", "--seats", "many"], "'--seats' needs a whole number"),
        (["new", "acme", "--idp", "okta", "--domain", "acme.com", "--directory", "scim"], "'--directory' must be one of"),
    ])
    func badFlagIsAUsageError(arguments: [String], hint: String) throws {
        let result = try BinaryRunner.run(arguments, in: FileManager.default.temporaryDirectory)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(hint), "\(result.stderr)")
    }

    @Test func helpDescribesEveryFlag() throws {
        let result = try BinaryRunner.run(["new", "--help"])
        #expect(result.status == 0)
        for flag in ["--idp", "--domain", "--directory", "--name", "--seats", "--dir", "--stdout"] {
            #expect(result.stdout.contains(flag), "\(flag)")
        }
    }
}
