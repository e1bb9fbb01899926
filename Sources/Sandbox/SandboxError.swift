import Spec

/// Everything that can go wrong starting or feeding a sandbox.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    /// The seed file is unreadable or has the wrong shape; the diagnostic points at the place.
    case seed(Diagnostic)
    /// The `--state` file cannot be read, parsed or written.
    case state(path: String, reason: String)
    /// The listening socket cannot be opened.
    case bind(address: String, reason: String)
    /// A command-line setting (faults, rate limit) is malformed.
    case setting(name: String, reason: String)

    public var description: String {
        switch self {
        case .seed(let diagnostic):
            "\(diagnostic.location.map { "\($0): " } ?? "")seed: \(diagnostic.message)"
        case .state(let path, let reason):
            "state file \(path): \(reason)"
        case .bind(let address, let reason):
            "cannot listen on \(address): \(reason)"
        case .setting(let name, let reason):
            "--\(name): \(reason)"
        }
    }
}
