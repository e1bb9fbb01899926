import Apply
import Foundation
import Live
import Operations
import Planner
import Testing

@Suite struct ExecuteStaleCheckTests {
    let check = StaleCheck { tenant, observed in
        tenant.changes.flatMap(\.preconditions).compactMap { precondition in
            let now = observed.thinkific == nil ? nil : "seen"
            return precondition.observed == now ? nil : "\(precondition.key) changed"
        }
    }

    func stalePlan() -> Plan {
        var change = personChanges("ana@pg.com")[0]
        change.preconditions = [Precondition(key: "thinkific/user/ana@pg.com", observed: nil)]
        return plan(tenantPlan([change]))
    }

    @Test func currentPlanPasses() throws {
        try check.check(plan: stalePlan(), workspaceDigest: "d1", observed: [ObservedTenant(tenant: "pg")])
    }

    @Test func changedSpecOrObservationIsRefusedSayingWhatChanged() throws {
        let observed = ObservedTenant(tenant: "pg", thinkific: ObservedThinkific())
        let error = #expect(throws: ApplyError.self) {
            try check.check(plan: stalePlan(), workspaceDigest: "d2", observed: [observed])
        }
        let message = try #require(error?.description)
        #expect(message.contains("workspace files changed"))
        #expect(message.contains("tenant pg: thinkific/user/ana@pg.com changed"))
        #expect(message.hasSuffix("run stoicprov plan again"))
    }

    @Test func tenantNotObservedAgainIsStale() {
        #expect(
            check.reasons(plan: stalePlan(), workspaceDigest: "d1", observed: []) == ["tenant pg could not be observed again"])
    }
}

@Suite struct ExecuteStaleCheckPlannerTests {
    @Test func usesThePlannersPreconditions() {
        var change = personChanges("ana@pg.com")[0]
        change.preconditions = [Precondition(key: "thinkific/user/ana@pg.com", observed: "fingerprint-that-is-not-there")]
        let thePlan = plan(tenantPlan([change]))
        let observed = ObservedTenant(tenant: "pg", thinkific: ObservedThinkific())
        let reasons = StaleCheck.planner.reasons(plan: thePlan, workspaceDigest: "d1", observed: [observed])
        #expect(reasons == Preconditions.failures(of: thePlan.tenants[0], against: observed).map { "tenant pg: \($0)" })
        #expect(!reasons.isEmpty)
    }
}
