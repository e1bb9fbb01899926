import Apply
import Foundation
import Live
import Planner
import Spec

/// Everything a tenant's hand-off sheet shows, gathered once: the spec, the WorkOS state read live, the plan's
/// verdict on whether live state matches the spec, and an Admin Portal link when one was asked for.
///
/// Gathering (`DescribeSession`) does the I/O; `markdown` renders these values and nothing else, so the sheet can be
/// compared with a golden file.
public struct HandoffSheet: Sendable, Hashable {
    public var tenant: Tenant
    /// The removal policy in force (the tenant's own or the workspace default).
    public var removal: RemovalPolicy
    /// Connection names of the workspace (`thinkific`, `workos`, SCIM apps), to say which grants can take effect.
    public var connections: [String]
    /// The WorkOS side read live; `nil` when the workspace has no WorkOS connection.
    public var workos: LiveWorkOS?
    /// Why WorkOS could not be read, when it could not (no secrets).
    public var workosFailure: String?
    /// The plan for this tenant alone; `nil` when planning was not possible.
    public var plan: TenantPlan?
    public var portalLink: PortalLink?

    public init(
        tenant: Tenant, removal: RemovalPolicy, connections: [String], workos: LiveWorkOS?, workosFailure: String? = nil,
        plan: TenantPlan?, portalLink: PortalLink? = nil
    ) {
        self.tenant = tenant
        self.removal = removal
        self.connections = connections.sorted()
        self.workos = workos
        self.workosFailure = workosFailure
        self.plan = plan
        self.portalLink = portalLink
    }
}
