import Apply
import Planner

/// A saved plan is a request, not an order: its changes are carried out only when the plan derived afresh for the
/// tenant — from the current workspace and a fresh observation, under the tenant's lock — contains every one of them
/// with exactly the same value (the action with all its fields, the destination, the kind, the dependencies, the
/// preconditions and the reason). A saved plan may ask for less than the fresh plan, never for more or other.
///
/// What is then carried out is the fresh plan's own changes (those the saved plan names), with the fresh plan's
/// guards: its errors (seats), its removal guard and its deletes. Nothing the file says about guards is trusted.
public enum SavedPlanCheck {
    /// The fresh tenant plan cut down to the changes `saved` asks for, or why `saved` is not justified.
    public static func select(saved: TenantPlan, fresh: TenantPlan) -> Result<TenantPlan, ApplyError> {
        guard saved.tenant == fresh.tenant else {
            return .failure(.notJustified(tenant: saved.tenant, reasons: ["the plan is for tenant \(fresh.tenant)"]))
        }
        let current = Dictionary(fresh.changes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var asked: Set<String> = []
        var reasons: [String] = []
        for change in saved.changes {
            guard asked.insert(change.id).inserted else {
                reasons.append("\(change.id) appears more than once")
                continue
            }
            guard let planned = current[change.id] else {
                reasons.append("\(change.id) (not a change the current plan makes)")
                continue
            }
            let differences = differences(change, planned)
            if !differences.isEmpty {
                reasons.append(
                    "\(change.id) as saved (it differs from the current plan in \(differences.joined(separator: ", ")))")
            }
        }
        guard reasons.isEmpty else { return .failure(.notJustified(tenant: saved.tenant, reasons: reasons)) }
        var selected = fresh
        selected.changes = fresh.changes.filter { asked.contains($0.id) }
        return .success(selected)
    }

    /// The fields in which a saved change differs from the planned one; empty when they are the same change.
    static func differences(_ saved: Change, _ planned: Change) -> [String] {
        var fields: [String] = []
        if normalized(saved.action) != normalized(planned.action) { fields.append("action") }
        if saved.destination != planned.destination { fields.append("destination") }
        if saved.kind != planned.kind { fields.append("kind") }
        if saved.dependsOn != planned.dependsOn { fields.append("depends_on") }
        if saved.preconditions != planned.preconditions { fields.append("preconditions") }
        if saved.reason != planned.reason { fields.append("reason") }
        return fields
    }

    /// The action without what depends only on when it was planned: an expiry's `expiry_date` is "now" (apply sends
    /// its own clock's now, never the plan's value).
    static func normalized(_ action: Action) -> Action {
        if case .expireEnrollment(let email, let enrollmentID, let courseSlug, _) = action {
            return .expireEnrollment(email: email, enrollmentID: enrollmentID, courseSlug: courseSlug, expiryDate: "")
        }
        return action
    }
}
