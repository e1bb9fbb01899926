import Foundation
import Planner

/// The tenant's WorkOS organization, SSO connections and directories as read live.
public struct LiveWorkOS: Sendable, Hashable {
    /// `nil` when no organization has the tenant id as `external_id` yet.
    public var organization: WorkOSOrganization?
    public var connections: [SSOConnection]
    public var directories: [LiveDirectory]

    public init(organization: WorkOSOrganization?, connections: [SSOConnection] = [], directories: [LiveDirectory] = []) {
        self.organization = organization
        self.connections = connections
        self.directories = directories
    }
}

/// One Directory Sync directory with the size of what it pushes.
public struct LiveDirectory: Sendable, Hashable {
    public var directory: WorkOSDirectory
    /// Names of every group the directory pushes, sorted.
    public var groups: [String]
    /// Everyone the directory pushes, and how many of them are active.
    public var people: Int
    public var activePeople: Int

    public init(directory: WorkOSDirectory, groups: [String], people: Int, activePeople: Int) {
        self.directory = directory
        self.groups = groups.sorted()
        self.people = people
        self.activePeople = activePeople
    }
}

/// An Admin Portal link and what it is for. It expires within minutes of `generatedAt`.
public struct PortalLink: Sendable, Hashable {
    public var intent: PortalIntent
    public var url: String
    public var generatedAt: Date

    public init(intent: PortalIntent, url: String, generatedAt: Date) {
        self.intent = intent
        self.url = url
        self.generatedAt = generatedAt
    }
}
