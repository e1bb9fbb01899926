import Foundation
import Planner
import Spec
import Views

/// Plans the scenario workspace against hand-built observations and renders the result for a golden file.
enum Scenario {
    static func plan(
        _ workspace: Workspace = ScenarioWorkspace.workspace(), pg: ObservedTenant? = World.pg(), tenants: [String] = ["pg"],
        contoso: ObservedTenant? = nil
    ) -> Plan {
        var observations: [String: ObservedTenant] = [:]
        observations["pg"] = pg
        observations["contoso"] = contoso
        return Planner.plan(
            workspace: workspace, observations: observations, tenants: tenants, now: World.now, workspaceDigest: "sha256:test")
    }

    /// `PlanRenderer.text`, then what the text form leaves out: each change's id, dependencies and preconditions
    /// (`absent` or `seen`; fingerprints themselves would only make the golden noisy).
    static func golden(_ plan: Plan) -> String {
        var text = PlanRenderer.text(plan, color: false)
        for tenant in plan.tenants where !tenant.changes.isEmpty {
            text += "\n--- \(tenant.tenant): ids, dependencies, preconditions\n"
            for change in tenant.changes {
                text += change.id
                if !change.dependsOn.isEmpty { text += " after " + change.dependsOn.joined(separator: ", ") }
                text += "\n"
                for precondition in change.preconditions {
                    text += "    \(precondition.key) \(precondition.observed == nil ? "absent" : "seen")\n"
                }
            }
        }
        return text
    }
}

extension Plan {
    var pg: TenantPlan { tenants.first { $0.tenant == "pg" }! }
    var contoso: TenantPlan { tenants.first { $0.tenant == "contoso" }! }
}

extension TenantPlan {
    var ids: [String] { changes.map(\.id) }
    func change(_ id: String) -> Change? { changes.first { $0.id == id } }
    var errorCodes: [String] { errors.map(\.code) }
    var warningCodes: [String] { warnings.map(\.code) }
}
