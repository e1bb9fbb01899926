import Foundation
import Spec

/// Turns the secret references of a workspace (`env:NAME`, `file:PATH`) into `Secret` values.
///
/// `file:` paths are relative to the workspace directory (and confined to it) or absolute; the file's content is trimmed
/// of surrounding whitespace.
/// Errors name the setting and the variable or path, never any value: a malformed reference could be a pasted key.
public struct SecretResolver: Sendable {
    public let workspace: URL
    private let environment: [String: String]

    public init(workspace: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.workspace = workspace
        self.environment = environment
    }

    /// Resolves one reference as the spec gave it. `setting` names where it came from
    /// (`connections.thinkific.api_key`) for the error message.
    public func resolve(_ reference: SecretRef, setting: String) throws(LiveError) -> Secret {
        switch reference {
        case .env(let name): try variable(name, setting: setting)
        case .file(let path): try file(path, setting: setting)
        }
    }

    /// Resolves a reference written as text (`env:NAME`, `file:PATH`); anything else is refused without repeating
    /// it, since it could be a pasted key.
    public func resolve(_ text: String, setting: String) throws(LiveError) -> Secret {
        if text.hasPrefix("env:") { return try variable(String(text.dropFirst(4)), setting: setting) }
        if text.hasPrefix("file:") { return try file(String(text.dropFirst(5)), setting: setting) }
        throw .notASecretReference(setting: setting)
    }

    private func variable(_ name: String, setting: String) throws(LiveError) -> Secret {
        guard Self.isVariableName(name) else { throw .notASecretReference(setting: setting) }
        guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw .missingEnvironmentVariable(setting: setting, name: name)
        }
        return Self.registered(Secret(value))
    }

    private func file(_ path: String, setting: String) throws(LiveError) -> Secret {
        guard !path.isEmpty else { throw .notASecretReference(setting: setting) }
        let data: Data
        switch Self.read(path, workspace: workspace) {
        case .success(let read): data = read
        case .failure(let problem): throw .unreadableSecretFile(setting: setting, path: path, reason: problem.description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableSecretFile(setting: setting, path: path, reason: "not UTF-8 text")
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw .unreadableSecretFile(setting: setting, path: path, reason: "the file is empty")
        }
        return Self.registered(Secret(value))
    }

    /// Every resolved value is known to `SecretScrubber`, which removes it from anything stoicprov shows or writes.
    private static func registered(_ secret: Secret) -> Secret {
        SecretScrubber.register(secret)
        return secret
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first))
        else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0)) }
    }

    /// The most a secret file may hold.
    public static let maxSecretFileBytes = 64 * 1024

    /// A relative `file:` path is confined to the workspace like a roster (no `..` out, no symbolic link out); an
    /// absolute one is allowed, since deployments mount secrets under `/run/secrets`. Either must be a regular file
    /// (never a FIFO or device) of at most `maxSecretFileBytes`. Its content is only ever sent as a credential.
    static func read(_ path: String, workspace: URL) -> Result<Data, FileProblem> {
        guard !path.hasPrefix("/") else { return FileAccess.read(path, maxBytes: maxSecretFileBytes) }
        let full = workspace.appendingPathComponent(path).path
        if path.split(separator: "/").contains("..") { return .failure(.climbsOutOfWorkspace) }
        if let problem = FileAccess.confinementProblem(full, root: workspace.path) { return .failure(problem) }
        return FileAccess.read(full, maxBytes: maxSecretFileBytes)
    }
}
