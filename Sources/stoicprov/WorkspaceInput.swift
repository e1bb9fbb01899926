import Apply
import Foundation
import Live
import Operations
import Spec
import Views

/// Loading a workspace for the commands that act on live systems (`plan`, `apply`): problems are printed like
/// `validate` prints them, and the tenants asked for are checked against the workspace.
enum WorkspaceInput {
    struct Failure: Error {}

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

    /// Client settings from `stoicprov.yaml`, or pointed at a sandbox.
    static func settings(_ workspace: Workspace, sandbox: String?) -> ClientSettings {
        let settings = ClientSettings(workspace.config.connections)
        return sandbox.map { settings.pointed(atSandbox: $0) } ?? settings
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
