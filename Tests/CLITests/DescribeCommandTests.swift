import Foundation
import TestSupport
import Testing

/// `stoicprov describe` against a real sandbox process: the sheet of the example P&G tenant compared with a golden
/// (ids and portal secrets masked), the portal link when asked, and the exit codes of mistakes.
@Suite struct DescribeCommandTests {
    /// Organization, connection and directory ids and portal secrets vary between sandboxes: masked.
    static func masked(_ text: String) -> String {
        var text = text
        for pattern in [#"org_[A-Za-z0-9]+"#, #"secret=[A-Za-z0-9]+"#] {
            text = text.replacingOccurrences(of: pattern, with: "<masked>", options: .regularExpression)
        }
        return text
    }

    @Test func sheetOfTheExampleTenantMatchesTheGolden() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let result = try BinaryRunner.run(["describe", "pg", "examples", "--sandbox", sandbox.url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(sandbox.url))
        #expect(!result.stdout.contains("sk_test_sandbox"))
        assertSnapshot(Self.masked(result.stdout), named: "describe-pg")
    }

    @Test func portalLinkIsGeneratedWhenAsked() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("describe-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try BinaryRunner.run(
            ["describe", "northwind", "examples", "--sandbox", sandbox.url, "--portal-link", "dsync", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let sheet = try String(contentsOf: out, encoding: .utf8)
        let link = try #require(
            sheet.range(
                of: #"Admin Portal link \(`dsync`\): https://setup\.workos\.test/portal/launch\?secret=[0-9a-f]+"#,
                options: .regularExpression))
        #expect(!sheet[link].hasSuffix("secret="))
        #expect(sheet.contains("short-lived"))
        #expect(sheet.contains("# Northwind Traders (`northwind`): hand-off sheet"))
    }

    @Test func aTenantWithoutOrganizationSaysApplyCreatesIt() throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        let result = try BinaryRunner.run(["describe", "contoso", "examples", "--sandbox", sandbox.url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("No organization has the external_id `contoso` yet"))
        #expect(result.stdout.contains("Status: unknown") == false)
        // No organization, so no portal link can be made for it.
        let link = try BinaryRunner.run(["describe", "contoso", "examples", "--sandbox", sandbox.url, "--portal-link", "sso"])
        #expect(link.status == 1)
        #expect(link.stderr.contains("apply the tenant first"))
    }

    @Test func usageErrorsExit64() throws {
        for arguments in [
            ["describe"], ["describe", "pg", "examples", "--portal-link", "audit_logs"], ["describe", "pg", "a", "b"],
            ["describe", "pg", "--no-such-flag"],
        ] {
            let result = try BinaryRunner.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("stoicprov describe --help"), "\(arguments)")
        }
    }

    @Test func unknownTenantExits1WithAHint() throws {
        let result = try BinaryRunner.run(["describe", "pgg", "examples", "--sandbox", "http://127.0.0.1:9"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no tenant 'pgg'"))
        #expect(result.stderr.contains("did you mean 'pg'?"))
    }
}
