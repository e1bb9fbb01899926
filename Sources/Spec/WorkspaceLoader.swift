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
        // Roster texts count towards the digest but are never shown: a CSV's content is not echoed.
        var rosterTexts: [String: String] = [:]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.workspaceNotFound(directory))
            return (nil, diagnostics, SourceFiles())
        }

        let configFile = path(directory, "stoicprov.yaml")
        var config: WorkspaceConfig?
        if let configNode = loadYAML(
            configFile, root: directory, limits: limits, diagnostics: &diagnostics, texts: &texts,
            redactions: &redactions, ifMissing: .configNotFound(configFile))
        {
            config = ConfigReader.read(configNode, file: configFile, diagnostics: &diagnostics, redactions: &redactions)
        }
        let configHasErrors = diagnostics.hasErrors

        let tenantFiles = tenantFiles(in: directory, diagnostics: &diagnostics)
        // A broken config would make every reference look unresolved; check references only against a sound one.
        let connections = configHasErrors ? nil : config?.connections
        let results = readTenants(tenantFiles, root: directory, connections: connections, limits: limits)
        var drafts: [TenantDraft] = []
        for result in results {
            diagnostics.append(contentsOf: result.diagnostics)
            texts.merge(result.texts) { $1 }
            rosterTexts.merge(result.rosterTexts) { $1 }
            redactions += result.redactions
            if let draft = result.draft { drafts.append(draft) }
        }
        WorkspaceRules.check(drafts, diagnostics: &diagnostics)
        let sources = redacted(texts, at: redactions)

        guard let config, !diagnostics.hasErrors else { return (nil, diagnostics, sources) }
        let prefix = path(directory, "")
        let relativeTexts = Dictionary(
            uniqueKeysWithValues: texts.merging(rosterTexts) { $1 }.map { (key, text) in
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
        /// Path → text of the tenant file, for snippets.
        var texts: [String: String] = [:]
        /// Path → text of every roster read, for the digest only.
        var rosterTexts: [String: String] = [:]
        var redactions: [SourceLocation] = []
    }

    /// Reads tenant files in parallel (each is independent); results keep the files' order.
    private static func readTenants(
        _ files: [String], root: String, connections: Connections?, limits: YAMLLimits
    ) -> [TenantResult] {
        let results = ResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            var result = TenantResult()
            if let node = loadYAML(
                file, root: root, limits: limits, diagnostics: &result.diagnostics, texts: &result.texts,
                redactions: &result.redactions)
            {
                var reader = TenantReader(file: file, root: root, connections: connections)
                result.draft = reader.read(node)
                result.diagnostics.append(contentsOf: reader.diagnostics)
                result.rosterTexts = reader.texts
                result.redactions += reader.redactions
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
            sources.add(SecretRedaction.redact(text, at: byFile[path] ?? []), for: path)
        }
        return sources
    }

    /// The tenant files of the workspace, sorted. A missing `tenants/` means no tenants; one that cannot be listed
    /// is an error (never "no problems" for a workspace that was not read).
    private static func tenantFiles(in directory: String, diagnostics: inout Diagnostics) -> [String] {
        let tenantsDirectory = path(directory, "tenants")
        var info = stat()
        guard lstat(tenantsDirectory, &info) == 0 else { return [] }
        let names: [String]
        do {
            if let problem = FileAccess.confinementProblem(tenantsDirectory, root: directory) { throw problem }
            guard (info.st_mode & S_IFMT) == S_IFDIR || (info.st_mode & S_IFMT) == S_IFLNK else {
                throw FileProblem.notADirectory
            }
            names = try FileManager.default.contentsOfDirectory(atPath: tenantsDirectory)
        } catch {
            diagnostics.append(.unreadable(FileAccess.problem(for: error, path: tenantsDirectory), file: tenantsDirectory))
            return []
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { path(tenantsDirectory, $0) }
    }

    /// Reads and parses one YAML file of the workspace; every problem reading it is a diagnostic. A file that does not
    /// parse gets its possible secrets redacted by scanning its lines (`SecretRedaction.unparsedRedactions`).
    private static func loadYAML(
        _ file: String, root: String, limits: YAMLLimits, diagnostics: inout Diagnostics, texts: inout [String: String],
        redactions: inout [SourceLocation], ifMissing: Diagnostic? = nil
    ) -> Node? {
        let data: Data
        switch readInside(file, root: root, maxBytes: limits.maxFileBytes) {
        case .success(let read): data = read
        case .failure(.notFound) where ifMissing != nil:
            if let ifMissing { diagnostics.append(ifMissing) }
            return nil
        case .failure(.tooLarge(let bytes, let limit)):
            diagnostics.append(.fileTooLarge(bytes: bytes, limit: limit, at: SourceLocation(file: file, line: 1, column: 1)))
            return nil
        case .failure(let problem):
            diagnostics.append(.unreadable(problem, file: file))
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        texts[file] = text
        let node = YAMLLoader.load(data, file: file, limits: limits, diagnostics: &diagnostics)
        if node == nil { redactions += SecretRedaction.unparsedRedactions(text, file: file) }
        return node
    }

    /// Reads a file that must be inside the workspace `root`, symbolic links included.
    static func readInside(_ file: String, root: String, maxBytes: Int) -> Result<Data, FileProblem> {
        if let problem = FileAccess.confinementProblem(file, root: root) { return .failure(problem) }
        return FileAccess.read(file, maxBytes: maxBytes)
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

    /// A file of the workspace that exists but could not be read: what went wrong and what to do.
    static func unreadable(_ problem: FileProblem, file: String) -> Diagnostic {
        .error(
            problem.leavesWorkspace ? "path-outside-workspace" : "file-unreadable", "cannot read \(problem.message(path: file))",
            at: SourceLocation(file: file, line: 1, column: 0))
    }

    static func configNotFound(_ file: String) -> Diagnostic {
        .error("config-not-found", "\(file) not found: a workspace needs stoicprov.yaml", at: nil)
    }
}
