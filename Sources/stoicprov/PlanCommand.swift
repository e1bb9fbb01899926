import Apply
import Foundation
import Live
import Operations
import Planner
import Spec
import Views

/// `stoicprov plan`: read the live systems, compute and show the changes.
enum PlanCommand: Command {
    static let name = "plan"
    static let summary = "read the live systems and show what would change"
    static let usage = """
        usage: stoicprov plan [DIR] [--tenant ID]... [--out FILE] [--format text|json|markdown] [--by person]
                              [--show-emails] [--detailed-exitcode] [--sandbox URL]

        Reads the live systems for each tenant of the workspace in DIR (default: the current directory) and shows,
        per tenant and destination, every change that would make them match the specs, with its reason.
          --tenant ID           plan only this tenant (repeatable)
          --out FILE            save the plan as JSON, for 'stoicprov show' and 'stoicprov apply FILE'
          --format FORMAT       text (default), json (docs/plan-format.md) or markdown (a pull-request comment)
          --by person           in text, one line per person with every change (default: per destination)
          --show-emails         in markdown, show names and email addresses in full (review.emails: full)
          --detailed-exitcode   exit 0 when there are no changes, 2 when there are changes, 1 on error
          --sandbox URL         point every connection at a running 'stoicprov sandbox' and its default credentials
        Exit status: 0 planned, 1 error (including a plan that must not be applied), 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments, options: ["tenant", "out", "format", "sandbox", "by"], flags: ["show-emails", "detailed-exitcode"])
        let format = try parsed.choice("format", of: ["text", "json", "markdown"], default: "text")
        let byPerson = try parsed.choice("by", of: ["person", "destination"], default: "destination") == "person"
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one workspace directory") }
        let directory = parsed.positionals.first ?? "."
        let now = try Now.clock()()

        let workspace: Workspace
        let tenants: [String]?
        let observer: Observer
        let pseudonym: Pseudonym
        do throws(WorkspaceInput.Failure) {
            workspace = try WorkspaceInput.load(directory, command: name)
            tenants = try WorkspaceInput.tenants(parsed.options("tenant"), in: workspace, command: name)
            let settings = WorkspaceInput.settings(workspace, sandbox: parsed.option("sandbox"))
            observer = try WorkspaceInput.observer(settings, workspace: workspace, command: name)
            pseudonym = try pseudonymKey(workspace, settings: settings)
        } catch {
            return .failure
        }

        let session = PlanSession(workspace: workspace, observer: observer)
        let outcome = runBlocking { await session.plan(tenants: tenants, now: now) }
        var plan = outcome.plan.pseudonymised(with: pseudonym)
        plan.emailDisplay = workspace.config.review.emails
        if let unreachable = outcome.unreachable {
            Console.err("stoicprov plan: \(unreachable)")
            return .failure
        }

        if let out = parsed.option("out") {
            do {
                try save(plan, to: out)
            } catch {
                Console.err("stoicprov plan: cannot write \(out): \(reason(error))")
                return .failure
            }
        }
        switch format {
        case "json":
            let stdout = Chunked(Console.out(bytes:))
            PlanFile.writeJSON(plan, to: stdout.append)
            stdout.flush()
        case "markdown": Console.out(PlanRenderer.markdown(plan, showEmails: parsed.flag("show-emails")))
        default: Console.out(PlanRenderer.text(plan, color: Console.useColor, byPerson: byPerson))
        }
        if plan.hasErrors { return .failure }
        return parsed.flag("detailed-exitcode") && plan.hasChanges ? .changesPresent : .success
    }

    /// The key of the people's pseudonym tags (docs/security.md, PR-comment safety): `review.pseudonym_key` when
    /// set; otherwise derived from the credentials of the workspace's connections, which the plan's readers do not
    /// hold (SHA-256 over a label and the secrets, so nothing of them can be recovered from a tag).
    private static func pseudonymKey(
        _ workspace: Workspace, settings: ClientSettings
    ) throws(WorkspaceInput.Failure)
        -> Pseudonym
    {
        let resolver = SecretResolver(workspace: URL(fileURLWithPath: workspace.directory))
        var material = Array("stoicprov pseudonym key v1".utf8)
        do {
            if let reference = workspace.config.review.pseudonymKey {
                let secret = try resolver.resolve(reference.description, setting: "review.pseudonym_key")
                material += [0] + Array(secret.exposedValue().utf8)
            } else {
                var credentials: [(Credential, String)] = []
                if let workos = settings.workos { credentials.append((workos.apiKey, "connections.workos.api_key")) }
                if let site = settings.thinkific { credentials.append((site.apiKey, "connections.thinkific.api_key")) }
                for app in settings.scim { credentials.append((app.token, "connections.\(app.app).token")) }
                for (credential, setting) in credentials {
                    let secret: Secret
                    switch credential {
                    case .reference(let reference): secret = try resolver.resolve(reference, setting: setting)
                    case .value(let value): secret = value
                    }
                    material += [0] + Array(secret.exposedValue().utf8)
                }
            }
        } catch {
            Console.err("stoicprov \(name): \(error)")
            throw WorkspaceInput.Failure()
        }
        var hasher = SHA256()
        hasher.update(Data(material))
        return Pseudonym(key: hasher.finalize())
    }

    /// Streams the JSON plan into a temporary file beside `path`, then renames it over `path`: a reader never sees
    /// half a plan, and a 50,000-person plan (~160 MB) is never whole in memory.
    private static func save(_ plan: Plan, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID())")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        close(descriptor)
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            var failure: (any Error)?
            let chunked = Chunked { data in
                guard failure == nil else { return }
                do { try handle.write(contentsOf: data) } catch { failure = error }
            }
            PlanFile.writeJSON(plan, to: chunked.append)
            chunked.flush()
            if let failure { throw failure }
            try handle.synchronize()
            guard rename(temporary.path, target.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// `No such file or directory` rather than Foundation's wrapped text for a POSIX error.
private func reason(_ error: any Error) -> String {
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    return error.localizedDescription
}

/// Gathers small pieces into writes of about 1 MB.
private final class Chunked {
    private let sink: (Data) -> Void
    private var buffer = Data()

    init(_ sink: @escaping (Data) -> Void) {
        self.sink = sink
    }

    func append(_ data: Data) {
        buffer.append(data)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
