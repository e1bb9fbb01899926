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
            sheet.workos = try await Self.readWorkOS(workos, tenant: tenant, observed: outcome.observations[tenant.id]?.directory)
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

    /// The organization, its connections and directories, and each directory's groups and people. What planning
    /// observed (`observed`: the organization, and the groups when the tenant's directory is WorkOS) is not read
    /// again; only the directories' people, which a plan reads for mapped groups alone, are.
    static func readWorkOS(
        _ workos: WorkOSClient, tenant: Tenant, observed: ObservedDirectory?
    ) async throws(LiveError) -> LiveWorkOS {
        let record: ObservedDirectory
        if let observed { record = observed } else { record = try await workos.organizationRecord(externalID: tenant.id) }
        guard let organization = record.organization else { return LiveWorkOS(organization: nil) }
        let directories = record.directories
        let groupsObserved = observed != nil && tenant.directory == .workos && record.readSucceeded
        let groups = groupsObserved ? record.groups : try await workos.groups(of: directories)
        let users = try await concurrently(directories.count) { (index: Int) async throws(LiveError) in
            try await workos.directoryUsers(directoryID: directories[index].id)
        }
        let live = zip(directories, users).map { directory, users in
            LiveDirectory(
                directory: directory, groups: groups.filter { $0.directoryID == directory.id }.map(\.name),
                people: users.count, activePeople: users.filter { $0.state == "active" }.count)
        }
        return LiveWorkOS(organization: organization, connections: record.connections, directories: live)
    }
}
