import Foundation
import Live

/// The clients an apply writes through: one per live system, `nil` (or absent) when the workspace has none.
public struct ApplyClients: Sendable {
    public var thinkific: ThinkificClient?
    public var workos: WorkOSClient?
    /// By connection name (`insights`, `dashboard`).
    public var scim: [String: SCIMClient]

    public init(thinkific: ThinkificClient? = nil, workos: WorkOSClient? = nil, scim: [String: SCIMClient] = [:]) {
        self.thinkific = thinkific
        self.workos = workos
        self.scim = scim
    }

    /// The observer's clients: plan and apply share connections, so one rate limiter paces both.
    public init(_ observer: Observer) {
        self.init(thinkific: observer.thinkific, workos: observer.workos, scim: observer.scim)
    }

    var connections: [HTTPChannel] {
        [thinkific?.channel, workos?.channel].compactMap { $0 } + scim.keys.sorted().compactMap { scim[$0]?.channel }
    }
}

/// How an apply runs and what it is allowed to do.
public struct ApplyOptions: Sendable {
    /// Changes in flight at once per tenant. More than one keeps a rate-limited connection busy at its limit
    /// (each connection paces its own requests).
    public var parallelism: Int
    /// Apply a plan whose removals trip the mass-removal guard (`--allow-mass-removal`).
    public var allowMassRemoval: Bool
    /// Carry out `deleteSCIMUser` changes (`--allow-delete`; the tenant's `removal: delete` is the planner's check).
    public var allowDelete: Bool
    /// The workspace directory: when set, each tenant is locked under `.stoicprov/locks/` and journaled under
    /// `.stoicprov/journal/`.
    public var workspace: URL?
    /// Who holds the lock (defaults to the user name).
    public var owner: String
    /// The clock for expiry dates and journal times.
    public var now: @Sendable () -> Date

    public init(
        parallelism: Int = 4, allowMassRemoval: Bool = false, allowDelete: Bool = false, workspace: URL? = nil,
        owner: String = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.parallelism = max(1, parallelism)
        self.allowMassRemoval = allowMassRemoval
        self.allowDelete = allowDelete
        self.workspace = workspace
        self.owner = owner
        self.now = now
    }
}
