import Foundation
import Spec

/// Reads a seed file into a node tree and checks its top level; each surface decodes its own section.
public enum SandboxSeed {
    /// The top-level keys a seed may have, one per surface.
    public static let sections = ["thinkific", "workos", "scim"]

    /// Seeds may list many people by hand: larger than spec files, still bounded.
    public static let limits: YAMLLimits = {
        var limits = YAMLLimits()
        limits.maxFileBytes = 64 * 1024 * 1024
        limits.maxNodes = 5_000_000
        return limits
    }()

    /// Loads and parses the seed; shape errors are `SandboxError.seed` with the position.
    public static func load(_ seed: SandboxConfiguration.Seed) throws(SandboxError) -> Node? {
        switch seed {
        case .standard:
            return try parse(Data(DefaultSeed.yaml.utf8), name: "<default seed>")
        case .yaml(let text, let name):
            return try parse(Data(text.utf8), name: name)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .seed(.seedUnreadable(path))
            }
            return try parse(data, name: path)
        }
    }

    /// Parses seed YAML and checks that the top level is a mapping of known sections.
    public static func parse(_ data: Data, name: String) throws(SandboxError) -> Node? {
        var diagnostics = Diagnostics()
        let root = YAMLLoader.load(data, file: name, limits: limits, diagnostics: &diagnostics)
        if let error = diagnostics.sorted.first(where: { $0.severity == .error }) { throw .seed(error) }
        guard let root else { return nil }
        try checkTopLevel(root)
        return root
    }

    /// The top level must be a mapping whose keys are surface sections.
    public static func checkTopLevel(_ root: Node) throws(SandboxError) {
        if root.isNull { return }
        guard let pairs = root.pairs else { throw .seed(.seedNotMapping(at: root.location)) }
        for pair in pairs {
            let key = pair.key.string ?? ""
            guard sections.contains(key) else { throw .seed(.seedUnknownSection(key, at: pair.key.location)) }
        }
    }
}

extension Diagnostic {
    static func seedUnreadable(_ path: String) -> Diagnostic {
        .error("seed-unreadable", "cannot read seed file '\(path)'", at: nil)
    }

    /// A section's `generate:` blocks ask for more people than `SandboxLimits.seedGeneratedPeople` together.
    static func seedTooManyGenerated(in section: String, at location: SourceLocation?) -> Diagnostic {
        .error(
            "seed-too-large",
            "\(section): `generate` blocks may create at most \(SandboxLimits.seedGeneratedPeople) people in all",
            at: location)
    }

    static func seedNotMapping(at location: SourceLocation) -> Diagnostic {
        .error(
            "seed-shape", "a seed is a mapping with the sections \(SandboxSeed.sections.joined(separator: ", "))",
            at: location)
    }

    static func seedUnknownSection(_ key: String, at location: SourceLocation) -> Diagnostic {
        let hint = Suggestion.closest(to: key, in: SandboxSeed.sections).map { " (did you mean '\($0)'?)" } ?? ""
        return .error(
            "unknown-key",
            "unknown seed section '\(key)'\(hint); expected \(SandboxSeed.sections.joined(separator: ", "))",
            at: location)
    }
}
