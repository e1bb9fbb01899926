import Apply
import Foundation
import Live
import Operations
import Spec
import Views

/// `stoicprov describe TENANT`: the tenant's hand-off sheet in Markdown.
enum DescribeCommand: Command {
    static let name = "describe"
    static let summary = "print a tenant's hand-off sheet (Markdown) with its live WorkOS state"
    static let usage = """
        usage: stoicprov describe TENANT [DIR] [--portal-link sso|dsync] [--out FILE] [--sandbox URL]

        Prints the hand-off sheet of TENANT in the workspace in DIR (default: the current directory): what is
        configured (domains, identity provider, directory, seats, programme dates, access rules, rosters), the WorkOS
        organization, SSO connection and directory read live, whether live state matches the spec (a plan), and the
        steps the client's IT must take.
          --portal-link INTENT  add a short-lived WorkOS Admin Portal link for IT: sso or dsync
          --out FILE            write the sheet to FILE instead of printing it
          --sandbox URL         point every connection at a running 'stoicprov sandbox' and its default credentials
        Exit status: 0 described, 1 unknown tenant or a failed read, 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(arguments, options: ["portal-link", "out", "sandbox"], flags: [])
        guard let id = parsed.positionals.first else { throw .init(message: "missing TENANT") }
        guard parsed.positionals.count <= 2 else { throw .init(message: "expected TENANT and at most one DIR") }
        let intent = try parsed.choice("portal-link", of: [PortalIntent.sso, .dsync])
        let options = WorkspaceOptions(
            parsed, directory: parsed.positionals.count == 2 ? parsed.positionals[1] : ".", tenants: [id])
        let now = try commandClock()()

        guard let opened = try? options.open(command: name) else { return .failure }
        let workspace = opened.workspace
        let observer = opened.observer
        guard let tenant = workspace.tenant(id: id) else { return .failure }  // checked by open(command:)
        let session = DescribeSession(workspace: workspace, observer: observer)
        let result = runBlocking { () -> Result<HandoffSheet, LiveError> in
            do throws(LiveError) {
                return .success(try await session.sheet(for: tenant, portalIntent: intent, now: now))
            } catch {
                return .failure(error)
            }
        }
        let sheet: HandoffSheet
        switch result {
        case .success(let value): sheet = value
        case .failure(let error):
            Console.err("stoicprov describe: \(error)")
            return .failure
        }
        let status = ReconcileStore(workspace: URL(fileURLWithPath: workspace.directory)).statuses([tenant.id]).first
        let markdown = sheet.markdown + (status.map(ReconcileStatusText.markdown) ?? "")
        guard let out = parsed.option("out") else {
            Console.out(markdown)
            return .success
        }
        do {
            try Data(SecretScrubber.scrub(markdown).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            Console.err("stoicprov describe: cannot write \(FileAccess.describe(error, path: out))")
            return .failure
        }
        Console.err("wrote \(out)")
        return .success
    }
}
