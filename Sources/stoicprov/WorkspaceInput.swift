import Apply
import Foundation
import Live
import Operations
import Spec
import Views

/// The options `plan`, `apply`, `describe` and `import` share, parsed once: the workspace directory, the tenants
/// asked for with `--tenant ID` (repeatable) and `--sandbox URL`.
struct WorkspaceOptions {
    /// The option names the group adds to a command's own.
    static let names: Set<String> = ["tenant", "sandbox"]

    var directory: String
    var tenants: [String]
    var sandbox: String?

    /// The group as `parsed` gives it; `tenants` instead of `--tenant` for a command that names its tenant otherwise.
    init(_ parsed: Arguments, directory: String, tenants: [String]? = nil) {
        self.directory = directory
        self.tenants = tenants ?? parsed.options("tenant")
        self.sandbox = parsed.option("sandbox")
    }

    /// The workspace loaded, the tenants checked and an observer over its connections; every problem is printed
    /// (as `validate` prints them) before `Failure` is thrown.
    func open(command: String) throws(WorkspaceInput.Failure) -> WorkspaceInput.Opened {
        try open(WorkspaceInput.load(directory, command: command), command: command)
    }

    /// The tenants checked and an observer, for a workspace already loaded.
    func open(_ workspace: Workspace, command: String) throws(WorkspaceInput.Failure) -> WorkspaceInput.Opened {
        let tenants = try WorkspaceInput.tenants(tenants, in: workspace, command: command)
        let settings = ClientSettings(workspace, sandbox: sandbox)
        let observer = try WorkspaceInput.observer(settings, workspace: workspace, command: command)
        return WorkspaceInput.Opened(workspace: workspace, tenants: tenants, settings: settings, observer: observer)
    }
}

/// Loading a workspace for the commands that act on live systems (`plan`, `apply`): problems are printed like
/// `validate` prints them, and the tenants asked for are checked against the workspace.
enum WorkspaceInput {
    struct Failure: Error {}

    /// A workspace ready to observe: the tenants asked for (`nil`: every tenant), its connections and an observer.
    struct Opened {
        var workspace: Workspace
        var tenants: [String]?
        var settings: ClientSettings
        var observer: Observer
    }

    static func load(_ directory: String, command: String) throws(Failure) -> Workspace {
        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: directory)
        guard let workspace, !diagnostics.hasErrors else {
            Console.err(DiagnosticRenderer.render(diagnostics, format: .text, sources: sources, isColored: Console.useColor))
            Console.err("stoicprov \(command): \(directory) has problems; run 'stoicprov validate \(directory)'")
            throw Failure()
        }
        return workspace
    }

    /// The tenant ids asked for with `--tenant`, all checked to exist; `nil` means every tenant.
    static func tenants(_ ids: [String], in workspace: Workspace, command: String) throws(Failure) -> [String]? {
        guard !ids.isEmpty else { return nil }
        for id in ids where workspace.tenant(id: id) == nil {
            let hint = Suggestion.closest(to: id, in: workspace.tenants.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
            Console.err("stoicprov \(command): no tenant '\(id)' in \(workspace.directory)\(hint)")
            throw Failure()
        }
        return ids
    }

    /// An observer over the workspace's connections; a missing secret is reported by the setting and variable.
    static func observer(_ settings: ClientSettings, workspace: Workspace, command: String) throws(Failure) -> Observer {
        let resolver = SecretResolver(workspace: URL(fileURLWithPath: workspace.directory))
        do {
            return try Observer(settings: settings, resolver: resolver)
        } catch {
            Console.err("stoicprov \(command): \(error)")
            throw Failure()
        }
    }
}

/// The clock a command runs on (`STOICPROV_NOW`, else the real one); a malformed variable is a usage error.
func commandClock() throws(Arguments.UsageError) -> @Sendable () -> Date {
    do {
        return try Now.clock()
    } catch {
        throw .init(message: error.description)
    }
}
