import Foundation
import Spec

/// The workspace the planner scenarios plan against, built by hand (no files): `pg` with a directory, two rules
/// and a roster; `contoso` with a roster only. Only this file imports `Spec` alone, so `WorkOSConnection` here is
/// the config type (the Planner module has an observed type of the same name).
enum ScenarioWorkspace {
    static let here = SourceLocation(file: "tenants/pg.yaml", line: 1, column: 1)

    static func config(removal: RemovalPolicy = .expire, maxRemovals: RemovalLimit = .percent(50)) -> WorkspaceConfig {
        WorkspaceConfig(
            connections: Connections(
                workos: WorkOSConnection(apiKey: .env("WORKOS_API_KEY"), location: here),
                thinkific: ThinkificConnection(
                    subdomain: "stoic", apiKey: .env("THINKIFIC_API_KEY"), requestsPerMinute: 120, location: here),
                scim: [
                    SCIMConnection(
                        name: "insights", baseURL: URL(string: "https://insights.example/scim/v2")!,
                        token: .env("INSIGHTS_SCIM_TOKEN"), requestsPerMinute: 600, location: here),
                    SCIMConnection(
                        name: "dashboard", baseURL: URL(string: "https://dashboard.example/scim/v2")!,
                        token: .env("DASHBOARD_SCIM_TOKEN"), location: here),
                ]),
            defaults: Defaults(removal: removal, maxRemovals: maxRemovals), file: "stoicprov.yaml")
    }

    /// P&G: learners (SG-Stoic-Learners) and managers (SG-Stoic-Managers), and dan@pg.com on the in-person roster.
    static func pg(
        seats: Int = 500, ends: CalendarDate = CalendarDate(year: 2026, month: 12, day: 18), removal: RemovalPolicy? = nil
    ) -> Tenant {
        Tenant(
            id: "pg", name: "Procter & Gamble", domains: ["pg.com"], sso: .pingfederate, directory: .workos, seats: seats,
            program: Program(starts: CalendarDate(year: 2026, month: 5, day: 4), ends: ends), removal: removal,
            access: [
                AccessRule(
                    name: "learners", idpGroups: ["SG-Stoic-Learners"],
                    thinkific: ThinkificGrant(courses: ["conscious-leadership-foundations"], groups: ["P&G 2026"]),
                    scim: [SCIMGrant(connection: "insights", groups: ["learners"])], location: here),
                AccessRule(
                    name: "managers", idpGroups: ["SG-Stoic-Managers"],
                    thinkific: ThinkificGrant(
                        courses: ["conscious-leadership-foundations", "leading-teams"], groups: ["P&G 2026"]),
                    scim: [SCIMGrant(connection: "insights", groups: ["managers"])], location: here),
            ],
            rosters: [
                Roster(
                    file: "../rosters/pg-in-person.csv", path: "rosters/pg-in-person.csv", access: "learners",
                    entries: [
                        RosterEntry(email: "Dan@pg.com", firstName: "Dan", lastName: "Diaz", access: "learners", location: here)
                    ], location: here)
            ],
            file: "tenants/pg.yaml", locations: Tenant.Locations(tenant: here, seats: here, program: here))
    }

    /// Contoso: no directory; two people on a roster; a course and a dashboard group.
    static var contoso: Tenant {
        Tenant(
            id: "contoso", name: "Contoso", domains: ["contoso.com"], sso: .entra, directory: .none, seats: 60,
            program: Program(
                starts: CalendarDate(year: 2026, month: 10, day: 5), ends: CalendarDate(year: 2027, month: 1, day: 29)),
            access: [
                AccessRule(
                    name: "cohort", thinkific: ThinkificGrant(courses: ["resilient-self"]),
                    scim: [SCIMGrant(connection: "dashboard", groups: ["contoso-cohort"])], location: here)
            ],
            rosters: [
                Roster(
                    file: "../rosters/contoso-cohort-1.csv", path: "rosters/contoso-cohort-1.csv", access: "cohort",
                    entries: [
                        RosterEntry(email: "kim@contoso.com", firstName: "Kim", lastName: "Ko", access: "cohort", location: here),
                        RosterEntry(email: "lee@contoso.com", firstName: "Lee", lastName: "Lu", access: "cohort", location: here),
                    ], location: here)
            ],
            file: "tenants/contoso.yaml", locations: Tenant.Locations(tenant: here, seats: here, program: here))
    }

    static func workspace(
        pg: Tenant = pg(), removal: RemovalPolicy = .expire, maxRemovals: RemovalLimit = .percent(50)
    ) -> Workspace {
        Workspace(directory: ".", config: config(removal: removal, maxRemovals: maxRemovals), tenants: [pg, contoso])
    }

    /// 2027-01-29, the later programme end of the "extended" scenario.
    static let extendedEnd = CalendarDate(year: 2027, month: 1, day: 29)
}
