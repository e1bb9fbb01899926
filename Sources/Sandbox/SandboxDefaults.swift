/// The credentials a sandbox accepts unless its seed says otherwise, and where each surface lives.
/// `--sandbox URL` on the CLI points every connection of a workspace at these.
public enum SandboxDefaults {
    public static let thinkificSubdomain = "stoic"
    public static let thinkificAPIKey = "sandbox-thinkific-key"
    public static let workosAPIKey = "sk_test_sandbox"
    /// SCIM bearer token per app name.
    public static func scimToken(app: String) -> String { "sandbox-\(app)-token" }

    /// Thinkific Admin API base under a sandbox root URL (no trailing slash).
    public static func thinkificBase(_ root: String) -> String { trimmed(root) + "/thinkific/api/public/v1" }
    /// WorkOS API base under a sandbox root URL.
    public static func workosBase(_ root: String) -> String { trimmed(root) + "/workos" }
    /// SCIM base of one app under a sandbox root URL.
    public static func scimBase(_ root: String, app: String) -> String { trimmed(root) + "/scim/\(app)/v2" }

    private static func trimmed(_ root: String) -> String {
        root.hasSuffix("/") ? String(root.dropLast()) : root
    }
}
