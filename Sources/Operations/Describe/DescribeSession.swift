import Apply
import Foundation
import Live
import Planner
import Spec

/// Gathers a tenant's hand-off sheet: plans the tenant through `PlanSession` (whether live state matches the spec),
/// reads its WorkOS organization, connections and directories (with every group and person count), and, when asked,
/// generates an Admin Portal link. The library entry point behind `stoicprov describe`.
public struct DescribeSession: Sendable {
    public var workspace: Workspace
    public var observer: Observer

    public init(workspace: Workspace, observer: Observer) {
        self.workspace = workspace
        self.observer = observer
    }

    /// The sheet of `tenant` (which must be one of the workspace's). A failed WorkOS read is recorded on the sheet,
    /// not thrown: the spec half of the sheet is still worth handing over. Only the portal link throws, since it was
    /// asked for explicitly.
    public func sheet(
        for tenant: Tenant, portalIntent: PortalIntent? = nil, now: Date = Date()
    ) async throws(LiveError) -> HandoffSheet {
        let outcome = await PlanSession(workspace: workspace, observer: observer).plan(tenants: [tenant.id], now: now)
        var sheet = HandoffSheet(
            tenant: tenant, removal: workspace.removal(for: tenant),
            connections: workspace.config.connections.destinationNames
                + (workspace.config.connections.workos == nil ? [] : ["workos"]),
            workos: nil, plan: outcome.plan.tenants.first { $0.tenant == tenant.id })
        guard let workos = observer.workos else {
            if portalIntent != nil { throw .missingConnection(name: "workos", tenant: tenant.id) }
            return sheet
        }
        do throws(LiveError) {
            sheet.workos = try await Self.readWorkOS(workos, tenant: tenant.id)
        } catch {
            if case .cancelled = error { throw error }
            sheet.workosFailure = error.description
        }
        if let portalIntent {
            guard let organization = sheet.workos?.organization else {
                throw .status(
                    code: 404, method: "GET", path: "/organizations/external_id/\(tenant.id)",
                    message: "no WorkOS organization for \(tenant.id) yet: apply the tenant first, then ask for a link")
            }
            let url = try await workos.portalLink(organizationID: organization.id, intent: portalIntent)
            sheet.portalLink = PortalLink(intent: portalIntent, url: url, generatedAt: now)
        }
        return sheet
    }

    /// The organization by external id, its connections and directories, and each directory's groups and people.
    static func readWorkOS(_ workos: WorkOSClient, tenant: String) async throws(LiveError) -> LiveWorkOS {
        guard let organization = try await workos.organization(externalID: tenant) else {
            return LiveWorkOS(organization: nil)
        }
        let connections = try await workos.connections(organizationID: organization.id).sorted { $0.id < $1.id }
        let directories = try await workos.directories(organizationID: organization.id).sorted { $0.id < $1.id }
        let live = try await concurrently(directories.count) { (index: Int) async throws(LiveError) in
            let directory = directories[index]
            let groups = try await workos.directoryGroups(directoryID: directory.id)
            let users = try await workos.directoryUsers(directoryID: directory.id)
            return LiveDirectory(
                directory: directory, groups: groups.map(\.name), people: users.count,
                activePeople: users.filter { $0.state == "active" }.count)
        }
        return LiveWorkOS(organization: organization, connections: connections, directories: live)
    }
}
