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
        usage: stoicprov plan [DIR] [--tenant ID]... [--out FILE] [--format text|json|markdown] [--show-emails]
                              [--detailed-exitcode] [--sandbox URL]

        Reads the live systems for each tenant of the workspace in DIR (default: the current directory) and shows,
        per tenant and destination, every change that would make them match the specs, with its reason.
          --tenant ID           plan only this tenant (repeatable)
          --out FILE            save the plan as JSON, for 'stoicprov show' and 'stoicprov apply FILE'
          --format FORMAT       text (default), json (docs/plan-format.md) or markdown (a pull-request comment)
          --show-emails         in markdown, show email addresses instead of masking them
          --detailed-exitcode   exit 0 when there are no changes, 2 when there are changes, 1 on error
          --sandbox URL         point every connection at a running 'stoicprov sandbox' and its default credentials
        Exit status: 0 planned, 1 error (including a plan that must not be applied), 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments, options: ["tenant", "out", "format", "sandbox"], flags: ["show-emails", "detailed-exitcode"])
        let format = try parsed.choice("format", of: ["text", "json", "markdown"], default: "text")
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one workspace directory") }
        let directory = parsed.positionals.first ?? "."
        let now = try Now.clock()()

        let workspace: Workspace
        let tenants: [String]?
        let observer: Observer
        do throws(WorkspaceInput.Failure) {
            workspace = try WorkspaceInput.load(directory, command: name)
            tenants = try WorkspaceInput.tenants(parsed.options("tenant"), in: workspace, command: name)
            let settings = WorkspaceInput.settings(workspace, sandbox: parsed.option("sandbox"))
            observer = try WorkspaceInput.observer(settings, workspace: workspace, command: name)
        } catch {
            return .failure
        }

        let session = PlanSession(workspace: workspace, observer: observer)
        let outcome = runBlocking { await session.plan(tenants: tenants, now: now) }
        let plan = outcome.plan
        if let unreachable = outcome.unreachable {
            Console.err("stoicprov plan: \(unreachable)")
            return .failure
        }

        if let out = parsed.option("out") {
            do {
                try save(plan, to: out)
            } catch {
                Console.err("stoicprov plan: cannot write \(FileAccess.describe(error, path: out))")
                return .failure
            }
        }
        switch format {
        case "json":
            let stdout = Chunked(Console.out(bytes:))
            PlanFile.writeJSON(plan) { stdout.append(SecretScrubber.scrub($0)) }
            stdout.flush()
        case "markdown": Console.out(PlanRenderer.markdown(plan, showEmails: parsed.flag("show-emails")))
        default: Console.out(PlanRenderer.text(plan, color: Console.useColor))
        }
        if plan.hasErrors { return .failure }
        return parsed.flag("detailed-exitcode") && plan.hasChanges ? .changesPresent : .success
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
            // Each piece is whole JSON values, so a secret never straddles two pieces.
            PlanFile.writeJSON(plan) { chunked.append(SecretScrubber.scrub($0)) }
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
