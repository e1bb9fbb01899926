import Live
import Planner
import Spec

/// Sign-ins through tenants' SSO connections that a caller knows of, by tenant: the reconcile loop's entry point for
/// grants on sign-in (`sso_sign_in: true`). It records each `authentication.sso_succeeded` event it follows here
/// (`record(_:workspace:organization:)`), then plans and applies the tenant with these sign-ins
/// (`PlanSession.signIns`, `ApplySession.signIns`). `plan` and `apply` need none of this: they read the events still
/// within WorkOS's retention themselves, and the durable record on the Thinkific user (`SignIn.marker(tenant:)`,
/// written by apply) keeps every grant after its event ages out.
public struct SignIns: Sendable, Hashable {
    /// By tenant id, in the order recorded.
    public private(set) var byTenant: [String: [SignIn]] = [:]

    public init() {}

    /// The tenant an event's sign-in grants to: the tenant whose organization (`organization`, read by
    /// `WorkOSClient.organizationRecord(externalID:)`) the event names, when the tenant grants on sign-in and the
    /// event's connection is one of that organization's. `nil` otherwise: nothing is granted.
    public static func tenant(
        of event: WorkOSSignInEvent, workspace: Workspace, organization: ObservedDirectory
    ) -> Tenant? {
        guard let record = organization.organization, event.organizationID == record.id,
            let externalID = record.externalID, let tenant = workspace.tenant(id: externalID), !tenant.signInRules.isEmpty
        else { return nil }
        let connections = Set(organization.connections.map(\.id))
        return event.signIn(organizationID: record.id, connections: connections) == nil ? nil : tenant
    }

    /// Records the event's sign-in for its tenant (see `tenant(of:workspace:organization:)`); returns the tenant id,
    /// or `nil` when the event grants nothing.
    @discardableResult
    public mutating func record(
        _ event: WorkOSSignInEvent, workspace: Workspace, organization: ObservedDirectory
    ) -> String? {
        guard let tenant = Self.tenant(of: event, workspace: workspace, organization: organization),
            let id = organization.organization?.id,
            let signIn = event.signIn(organizationID: id, connections: Set(organization.connections.map(\.id)))
        else { return nil }
        record(signIn, tenant: tenant.id)
        return tenant.id
    }

    /// Records a sign-in for a tenant (names known from elsewhere, such as an SSO profile).
    public mutating func record(_ signIn: SignIn, tenant: String) {
        byTenant[tenant, default: []].append(signIn)
    }

    /// The sign-ins recorded for `tenant`, for planning it.
    public func grants(tenant: String) -> [SignIn] { byTenant[tenant] ?? [] }
}
