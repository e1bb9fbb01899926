import Apply
import Foundation
import Live
import Planner
import Spec

extension ClientSettings {
    /// The connections of `stoicprov.yaml` as client settings: secret references stay references (resolved when a
    /// client is built), base URLs as configured (the vendor's production URL by default).
    public init(_ connections: Connections) {
        self.init(
            thinkific: connections.thinkific.map {
                Thinkific(
                    subdomain: $0.subdomain, apiKey: .reference($0.apiKey),
                    baseURL: $0.baseURL.absoluteString, requestsPerMinute: Double($0.effectiveRequestsPerMinute))
            },
            workos: connections.workos.map {
                WorkOS(
                    apiKey: .reference($0.apiKey), baseURL: $0.baseURL.absoluteString,
                    requestsPerMinute: Double($0.effectiveRequestsPerMinute))
            },
            scim: connections.scim.map {
                SCIM(
                    app: $0.name, baseURL: $0.baseURL.absoluteString, token: .reference($0.token),
                    requestsPerMinute: $0.requestsPerMinute.map(Double.init), filter: $0.filter)
            })
    }

    /// Requests per minute of each connection, by name, for plan estimates and progress.
    public var requestsPerMinute: [String: Int] {
        var rates: [String: Int] = [:]
        if let thinkific, let rate = thinkific.requestsPerMinute { rates["thinkific"] = Int(rate) }
        if let workos, let rate = workos.requestsPerMinute { rates["workos"] = Int(rate) }
        for app in scim { if let rate = app.requestsPerMinute { rates[app.app] = Int(rate) } }
        return rates
    }
}

extension ObservationRequest {
    /// What to read for `tenant`: the courses and groups its rules manage, its organization and directory groups,
    /// its rosters, each SCIM app its rules name and, when it grants on SSO sign-in, its sign-in events and record
    /// (`signIns` says which events, and which sign-ins the caller knows of).
    public init(tenant: Tenant, signIns: SignIns = SignIns()) {
        let grants = tenant.access.compactMap(\.thinkific)
        let courses = Set(grants.flatMap(\.courses)).sorted()
        let groups = Set(grants.flatMap(\.groups)).sorted()
        var scimGroups: [String: Set<String>] = [:]
        for rule in tenant.access {
            for grant in rule.scim { scimGroups[grant.connection, default: []].formUnion(grant.groups) }
        }
        self.init(
            tenant: tenant.id, domains: tenant.domains, rosterEmails: tenant.rosterEmails.sorted(),
            thinkific: grants.isEmpty ? nil : ThinkificScope(courseSlugs: courses, groupNames: groups),
            workos: WorkOSScope(
                organizationExternalID: tenant.id, readsDirectory: tenant.directory == .workos, idpGroups: tenant.idpGroups),
            scim: scimGroups.sorted { $0.key < $1.key }.map { SCIMScope(app: $0.key, groupNames: $0.value.sorted()) },
            signIns: signIns.scope(for: tenant))
    }
}
