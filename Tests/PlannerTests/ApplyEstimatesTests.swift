import Foundation
import Spec
import Testing

@testable import Planner

/// Issue 12: the "to apply" estimate counts what apply sends and uses every limit that binds.
@Suite struct ApplyEstimatesTests {
    static let here = SourceLocation(file: "stoicprov.yaml", line: 1, column: 1)
    static let connections = Connections(
        workos: WorkOSConnection(apiKey: .env("W"), location: here),
        thinkific: ThinkificConnection(subdomain: "stoic", apiKey: .env("T"), location: here),
        scim: [
            SCIMConnection(
                name: "insights", baseURL: URL(string: "https://i.example/scim/v2")!, token: .env("I"),
                requestsPerMinute: 600, location: here),
            SCIMConnection(
                name: "dashboard", baseURL: URL(string: "https://d.example/scim/v2")!, token: .env("D"),
                location: here),
        ])

    func member(_ index: Int, app: String = "insights", group: String = "learners") -> Change {
        Change(
            id: "scim/\(app)/member/\(group)/\(index)", kind: .create,
            action: .addSCIMMember(app: app, group: group, groupID: nil, userName: "p\(index)@x.example", userID: nil),
            reason: "r")
    }

    func enrollment(_ index: Int) -> Change {
        Change(
            id: "thinkific/enroll/\(index)", kind: .create,
            action: .enroll(
                email: "p\(index)@x.example", userID: 1, courseSlug: "c", courseID: 1, activatedAt: "2026-01-01T00:00:00Z",
                expiryDate: nil),
            reason: "r")
    }

    @Test func scimMembershipsCountOnePatchPerHundredMembersOfAGroup() {
        let changes = (1...250).map { member($0) } + (1...3).map { member($0, group: "managers") }
        let estimates = ApplyEstimates(connections: Self.connections, readsDirectory: false)
            .estimates(changes: changes, observationRequests: [:])
        #expect(estimates.map(\.connection) == ["insights"])
        #expect(estimates.first?.requests == 3 + 1)
    }

    @Test func defaultLimitsComeFromOneHomeAndTheReobservationCounts() {
        let changes = (1...130).map(enrollment)
        let estimates = ApplyEstimates(connections: Self.connections, readsDirectory: true)
            .estimates(changes: changes, observationRequests: ["thinkific": 10, "workos": 40, "dashboard": 2])
        let byName = Dictionary(uniqueKeysWithValues: estimates.map { ($0.connection, $0) })
        // Thinkific: 130 enrollments + 10 reads at 120/min (the vendor's, not configured), a burst of 10 first.
        #expect(byName["thinkific"]?.requests == 140)
        #expect(byName["thinkific"]?.requestsPerMinute == VendorLimits.thinkificPerMinute)
        #expect(abs((byName["thinkific"]?.seconds ?? 0) - 130 * 60 * 1.02 / 120) < 0.01)
        // WorkOS: its published 6,000/min is known to the plan, and the 40 directory reads at 4/s bind, paced 10 %
        // slower as the client paces them: 11 s.
        #expect(byName["workos"]?.requestsPerMinute == VendorLimits.workosPerMinute)
        #expect(abs((byName["workos"]?.seconds ?? 0) - 11) < 0.001)
        #expect(byName["workos"]?.bindingLimit == "4/s per directory")
        // A SCIM app without a configured limit has requests but no duration.
        #expect(byName["dashboard"]?.requests == 2 && byName["dashboard"]?.requestsPerMinute == nil)
    }

    @Test func aRosterTenantsWorkOSReadsArePacedAtTheAccountRate() {
        let estimates = ApplyEstimates(connections: Self.connections, readsDirectory: false)
            .estimates(changes: [enrollment(1)], observationRequests: ["workos": 40])
        let workos = estimates.first { $0.connection == "workos" }
        #expect(workos?.bindingLimit == nil)
        #expect(abs((workos?.seconds ?? 0) - 30 * 60 * 1.02 / 6000) < 1e-9)
    }
}
