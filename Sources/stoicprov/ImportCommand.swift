import Apply
import Foundation
import Live
import Operations
import Spec
import Views

/// `stoicprov import TENANT --from-live`: drafts `tenants/<TENANT>.yaml` (and a roster) from what exists live, so a
/// client onboarded by hand comes under management without a change on the first plan.
enum ImportCommand: Command {
    static let name = "import"
    static let summary = "draft a tenant file from a client's live WorkOS and Thinkific state"
    static let usage = """
        usage: stoicprov import TENANT --from-live [DIR] --domain DOMAIN [--domain DOMAIN]… [--idp PROVIDER]
                                [--sandbox URL]

        Reads the WorkOS organization whose external_id is TENANT (name, domains, SSO connection, directory groups)
        and the Thinkific enrollments and groups of people in the client's domains, then writes
        DIR/tenants/TENANT.yaml (DIR: the current directory by default) with an access rule per set of courses and
        groups, mapped to the IdP groups whose members have exactly that set, and DIR/rosters/TENANT-imported.csv
        for the people no IdP group explains. Its comments say what was inferred and what to check. Never
        overwrites a file.
          --from-live        read the live systems (required: the only source import knows)
          --domain DOMAIN    an email domain of the client (repeatable, at least one)
          --idp PROVIDER     sso.provider when the SSO connection does not tell: okta, entra, google, pingfederate,
                             generic-saml or none
          --sandbox URL      point every connection at a running 'stoicprov sandbox' and its default credentials
        Exit status: 0 written, 1 invalid TENANT or domain, a file exists, or a failed read, 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(arguments, options: ["domain", "idp", "sandbox"], flags: ["from-live"])
        guard let id = parsed.positionals.first else { throw .init(message: "missing TENANT") }
        guard parsed.positionals.count <= 2 else { throw .init(message: "expected TENANT and at most one DIR") }
        guard parsed.flag("from-live") else { throw .init(message: "missing --from-live (import reads the live systems)") }
        let domains = parsed.options("domain")
        guard !domains.isEmpty else { throw .init(message: "missing --domain (an email domain the client owns)") }
        let provider = try parsed.choice("idp", of: SSOProvider.allCases)
        let directory = parsed.positionals.count == 2 ? parsed.positionals[1] : "."
        let options = WorkspaceOptions(parsed, directory: directory, tenants: [])
        let clock = try commandClock()

        guard let opened = try? options.open(command: name) else { return .failure }
        let workspace = opened.workspace
        let observer = opened.observer
        let problems = TenantImport.problems(tenant: id, domains: domains, in: workspace)
        for problem in problems { Console.err("stoicprov import: \(problem)") }
        guard problems.isEmpty else { return .failure }
        guard let thinkific = observer.thinkific else {
            Console.err("stoicprov import: \(workspace.directory)/stoicprov.yaml has no thinkific connection to read")
            return .failure
        }
        let workos = observer.workos
        let result = runBlocking { () -> Result<LiveTenant, LiveError> in
            do throws(LiveError) {
                return .success(try await LiveTenant.read(tenant: id, domains: domains, thinkific: thinkific, workos: workos))
            } catch {
                return .failure(error)
            }
        }
        let live: LiveTenant
        switch result {
        case .success(let value): live = value
        case .failure(let error):
            Console.err("stoicprov import: \(error)")
            return .failure
        }
        let draft = TenantImport.draft(live, options: .init(tenant: id, domains: domains, provider: provider), now: clock())
        return write(draft, workspace: directory)
    }

    private static func write(_ draft: ImportedTenant, workspace: String) -> ExitCode {
        do throws(OperationsError) {
            Console.out(ImportedTenantText.written(try TenantImport.write(draft, workspace: workspace)))
        } catch {
            Console.err("stoicprov import: \(error)")
            return .failure
        }
        let (_, diagnostics, sources) = WorkspaceLoader.load(directory: workspace)
        if diagnostics.hasErrors {
            Console.err(DiagnosticRenderer.render(diagnostics, format: .text, sources: sources, isColored: Console.useColor))
            Console.err("stoicprov import: the draft does not validate yet; fix the findings above")
            return .failure
        }
        Console.out(ImportedTenantText.summary(draft, workspace: workspace))
        return .success
    }
}
