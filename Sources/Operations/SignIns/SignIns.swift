import Foundation
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
    /// Which `authentication.sso_succeeded` events `plan`/`apply` read themselves.
    public var events: EventReading

    /// How much of the sign-in events an observation reads, besides the sign-ins recorded here.
    public enum EventReading: Sendable, Hashable {
        /// Every sign-in the events API still keeps (WorkOS: about 30 days): one request per 100 sign-ins.
        case retention
        /// Only the sign-ins from this instant on (`range_start`).
        case since(Date)
        /// None: the caller (the reconcile loop, which follows the stream from its cursor) records them here.
        case none
    }

    public init(events: EventReading = .retention) {
        self.events = events
    }

    /// What an observation of `tenant` reads of its sign-ins: `nil` when it grants nothing on sign-in.
    public func scope(for tenant: Tenant) -> SignInScope? {
        guard !tenant.signInRules.isEmpty else { return nil }
        let since: Date? = if case .since(let date) = events { date } else { nil }
        return SignInScope(
            marker: SignIn.marker(tenant: tenant.id), readsEvents: events != .none, since: since,
            known: grants(tenant: tenant.id).map(\.email))
    }

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
