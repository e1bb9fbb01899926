/// Everything that can go wrong on the live side: resolving secrets, talking HTTP, reading the vendors' answers.
///
/// No case ever carries a secret value: secret errors name the reference (`env:NAME`, `file:PATH`), never its content.
public enum LiveError: Error, CustomStringConvertible, Sendable, Hashable {
    // MARK: - Transport (no usable HTTP status)

    /// No response at all: the connection could not be opened (refused, unknown host). The request was never
    /// received, so retrying it is safe whatever its method.
    case unreachable(host: String, reason: String)
    /// The connection broke after the request was sent: the server may or may not have acted on it.
    case connectionDropped(host: String, reason: String)
    /// No complete answer arrived within the timeout: the server may or may not have acted on it.
    case timedOut(host: String, seconds: Double)
    /// The request could not even be built (a base URL or path that is not a URL).
    case invalidURL(String)
    /// The surrounding task was cancelled while waiting or sending.
    case cancelled
    /// An answer's body was larger than the transport accepts (declared or as it streamed in); it was cut off and
    /// not kept.
    case responseTooLarge(host: String, limit: Int)
    /// A tenant needs a connection (`thinkific`, `workos`, a SCIM app) that the workspace does not configure.
    case missingConnection(name: String, tenant: String)

    // MARK: - HTTP

    /// The server answered with a status the caller does not accept (after any retries).
    case status(code: Int, method: String, path: String, message: String?)
    /// A successful answer whose body does not have the documented shape.
    case malformedResponse(method: String, path: String, reason: String)
    /// A paged listing that the server would make endless or too large: more pages, items or bytes than the limits
    /// (`ListingLimits`) or than its own totals announce, a total beyond them, or a next page that does not advance.
    /// Nothing of the listing is used.
    case listingOutOfBounds(connection: String, path: String, reason: String)
    /// Observing a tenant did not finish within the deadline; `connections` are those still waiting for an answer.
    case deadlineExceeded(tenant: String, seconds: Double, connections: [String])

    // MARK: - Secrets

    /// A secret setting is not a reference of the form `env:NAME` or `file:PATH`; the value itself is never repeated.
    case notASecretReference(setting: String)
    /// `env:NAME` names a variable that is not set (or is empty).
    case missingEnvironmentVariable(setting: String, name: String)
    /// `file:PATH` names a file that cannot be read (or is empty).
    case unreadableSecretFile(setting: String, path: String, reason: String)

    // MARK: - Writing

    /// A change needs the id of an object (a user, a group) that neither an earlier change nor a lookup produced.
    case unresolvedID(what: String)
    /// A Thinkific enrollment's expiry was to be removed by re-enrolling the user (the vendor's documented way; its
    /// schema has no `null` expiry), and the user's enrollments in the course read back afterwards are not exactly one
    /// without an expiry. `reason` says what was found and what the re-enrollment answered.
    case expiryNotCleared(enrollmentID: Int, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let host, let reason):
            "cannot reach \(host): \(reason)"
        case .connectionDropped(let host, let reason):
            "connection to \(host) dropped before a response arrived: \(reason)"
        case .timedOut(let host, let seconds):
            "no response from \(host) within \(Self.format(seconds)) s"
        case .invalidURL(let text):
            "not a valid URL: \(text)"
        case .cancelled:
            "cancelled"
        case .responseTooLarge(let host, let limit):
            "the answer from \(host) is larger than \(Self.formatBytes(limit)); it was cut off"
        case .missingConnection(let name, let tenant):
            "tenant \(tenant) needs the connection \(name), which is not configured"
        case .status(let code, let method, let path, let message):
            "\(method) \(path) answered \(code)\(message.map { ": \($0)" } ?? "")\(Self.hint(for: code))"
        case .malformedResponse(let method, let path, let reason):
            "\(method) \(path): unexpected response body: \(reason)"
        case .listingOutOfBounds(let connection, let path, let reason):
            "\(connection): listing \(path) stopped: \(reason); nothing from it is used"
        case .deadlineExceeded(let tenant, let seconds, let connections):
            "tenant \(tenant): reading the live systems did not finish within \(Self.format(seconds)) s"
                + (connections.isEmpty ? "" : " (still waiting on \(connections.joined(separator: ", ")))")
        case .notASecretReference(let setting):
            "\(setting): a secret must be a reference, env:NAME or file:PATH (the value is not shown)"
        case .missingEnvironmentVariable(let setting, let name):
            "\(setting): environment variable \(name) is not set or is empty"
        case .unreadableSecretFile(let setting, let path, let reason):
            "\(setting): cannot read secret file \(path): \(reason)"
        case .unresolvedID(let what):
            "no id for \(what): it was neither created by an earlier change nor found"
        case .expiryNotCleared(let enrollmentID, let reason):
            "the expiry of Thinkific enrollment \(enrollmentID) was not removed by re-enrolling (\(reason)); "
                + "remove it in Thinkific's admin (re-enroll the user there)"
        }
    }

    /// Whether the failure happened before the server could have received the request.
    public var isBeforeRequestReached: Bool {
        if case .unreachable = self { return true }
        return false
    }

    private static func hint(for code: Int) -> String {
        switch code {
        case 401: " (check the API key, and that the account's plan includes API access)"
        case 429: " (rate limited; retries exhausted)"
        default: ""
        }
    }

    private static func formatBytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
