import Dispatch
import Foundation

/// Reads and validates a workspace directory: `stoicprov.yaml`, `tenants/*.yaml` (sorted), and the rosters the
/// tenants name. Every problem is collected in one run.
public enum WorkspaceLoader {
    /// Loads the workspace in `directory` (as the user typed it; diagnostics paths start with it).
    ///
    /// - Returns: the workspace when there are no errors (warnings allowed), every diagnostic, and the text of
    ///   every file read, for rendering snippets.
    public static func load(
        directory: String, limits: YAMLLimits = .default
    ) -> (
        workspace: Workspace?, diagnostics: Diagnostics, sources: SourceFiles
    ) {
        var diagnostics = Diagnostics()
        var texts: [String: String] = [:]
        var redactions: [SourceLocation] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.workspaceNotFound(directory))
            return (nil, diagnostics, SourceFiles())
        }

        let configFile = path(directory, "stoicprov.yaml")
        var config: WorkspaceConfig?
        if let node = loadYAML(configFile, limits: limits, diagnostics: &diagnostics, texts: &texts) {
            config = ConfigReader.read(node, file: configFile, diagnostics: &diagnostics, redactions: &redactions)
        } else if !FileManager.default.fileExists(atPath: configFile) {
            diagnostics.append(.configNotFound(configFile))
        }
        let configHasErrors = diagnostics.hasErrors

        let tenantsDirectory = path(directory, "tenants")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tenantsDirectory)) ?? []
        let tenantFiles = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
            path(tenantsDirectory, $0)
        }
        // A broken config would make every reference look unresolved; check references only against a sound one.
        let connections = configHasErrors ? nil : config?.connections
        let results = readTenants(tenantFiles, connections: connections, limits: limits)
        var drafts: [TenantDraft] = []
        for result in results {
            diagnostics.append(contentsOf: result.diagnostics.all)
            texts.merge(result.texts) { $1 }
            redactions += result.redactions
            if let draft = result.draft { drafts.append(draft) }
        }
        WorkspaceRules.check(drafts, diagnostics: &diagnostics)
        let sources = redacted(texts, at: redactions)

        guard let config, !diagnostics.hasErrors else { return (nil, diagnostics, sources) }
        let prefix = path(directory, "")
        let relativeTexts = Dictionary(
            uniqueKeysWithValues: texts.map { (key, text) in
                (key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key, text)
            })
        let workspace = Workspace(
            directory: directory, config: config, tenants: drafts.map(\.tenant), digest: Workspace.digest(of: relativeTexts))
        return (workspace, diagnostics, sources)
    }

    // MARK: - Tenants

    private struct TenantResult: Sendable {
        var draft: TenantDraft?
        var diagnostics = Diagnostics()
        /// Path → text of every file read, for snippets.
        var texts: [String: String] = [:]
        var redactions: [SourceLocation] = []
    }

    /// Reads tenant files in parallel (each is independent); results keep the files' order.
    private static func readTenants(_ files: [String], connections: Connections?, limits: YAMLLimits) -> [TenantResult] {
        let results = ResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            var result = TenantResult()
            if let node = loadYAML(file, limits: limits, diagnostics: &result.diagnostics, texts: &result.texts) {
                var reader = TenantReader(file: file, connections: connections)
                result.draft = reader.read(node)
                result.diagnostics.append(contentsOf: reader.diagnostics.all)
                result.texts.merge(reader.texts) { $1 }
                result.redactions = reader.redactions
            }
            results.set(index, result)
        }
        return results.values
    }

    private final class ResultSlots: @unchecked Sendable {
        private var slots: [TenantResult]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: TenantResult(), count: count) }

        func set(_ index: Int, _ result: TenantResult) {
            lock.lock()
            slots[index] = result
            lock.unlock()
        }

        var values: [TenantResult] {
            lock.lock()
            defer { lock.unlock() }
            return slots
        }
    }

    // MARK: - Files

    /// The texts as `SourceFiles`, with every line holding a possible secret cut off where the value starts, so a
    /// snippet under a diagnostic never shows it.
    private static func redacted(_ texts: [String: String], at redactions: [SourceLocation]) -> SourceFiles {
        let byFile = Dictionary(grouping: redactions, by: \.file)
        var sources = SourceFiles()
        for (path, text) in texts {
            guard let locations = byFile[path] else {
                sources.add(text, for: path)
                continue
            }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for location in locations where location.line >= 1 && location.line <= lines.count {
                let line = lines[location.line - 1].unicodeScalars
                let kept = line.prefix(max(0, location.column - 1))
                lines[location.line - 1] = String(String.UnicodeScalarView(kept)) + "<redacted>"
            }
            sources.add(lines.joined(separator: "\n"), for: path)
        }
        return sources
    }

    private static func loadYAML(
        _ file: String, limits: YAMLLimits, diagnostics: inout Diagnostics, texts: inout [String: String]
    ) -> Node? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        if data.count <= limits.maxFileBytes {
            texts[file] = String(decoding: data, as: UTF8.self)
        }
        return YAMLLoader.load(data, file: file, limits: limits, diagnostics: &diagnostics)
    }

    private static func path(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func workspaceNotFound(_ directory: String) -> Diagnostic {
        .error("workspace-not-found", "'\(directory)' is not a directory", at: nil)
    }

    static func configNotFound(_ file: String) -> Diagnostic {
        .error("config-not-found", "\(file) not found: a workspace needs stoicprov.yaml", at: nil)
    }
}
