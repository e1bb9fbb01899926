import Foundation

/// A validated workspace: `stoicprov.yaml` and every tenant with its rosters resolved. Only produced when
/// validation found no errors, so consumers may rely on every invariant the rules check.
public struct Workspace: Sendable, Hashable {
    /// The directory as the user named it (`examples`, `.`); diagnostics paths start with it.
    public var directory: String
    public var config: WorkspaceConfig
    /// Tenants sorted by id.
    public var tenants: [Tenant]
    /// SHA-256 over every file read (paths relative to the workspace, then contents), so that apply can refuse a
    /// plan made from other files. Independent of how the directory was named.
    public var digest: String

    public init(directory: String, config: WorkspaceConfig, tenants: [Tenant], digest: String = "") {
        self.directory = directory
        self.config = config
        self.tenants = tenants.sorted { $0.id < $1.id }
        self.digest = digest
    }

    /// The digest of a set of files: each relative path and its bytes, in path order, separated so that no two
    /// different sets hash alike.
    public static func digest(of files: [String: String]) -> String {
        var hasher = SHA256()
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            hasher.update(Data("\(path.utf8.count):\(path)\(text.utf8.count):".utf8))
            hasher.update(Data(text.utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public func tenant(id: String) -> Tenant? {
        tenants.first { $0.id == id }
    }

    /// The removal policy that applies to `tenant`: its own override, else the workspace default.
    public func removal(for tenant: Tenant) -> RemovalPolicy {
        tenant.removal ?? config.defaults.removal
    }

    /// Number of roster files across all tenants.
    public var rosterCount: Int { tenants.reduce(0) { $0 + $1.rosters.count } }

    /// Number of distinct people listed in rosters across all tenants.
    public var rosterPeopleCount: Int { tenants.reduce(0) { $0 + $1.rosterEmails.count } }
}
