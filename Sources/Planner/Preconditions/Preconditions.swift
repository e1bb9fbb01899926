/// The staleness check apply runs before acting on a saved plan.
public enum Preconditions {
    /// What no longer holds of what `tenantPlan` observed, one human line per object, in the plan's order
    /// (`thinkific/user/ana@pg.com: now exists (was absent)`). Empty when every precondition still holds.
    public static func failures(of tenantPlan: TenantPlan, against observation: ObservedTenant) -> [String] {
        let index = ObservationIndex(observation)
        var seen: Set<String> = []
        var lines: [String] = []
        for change in tenantPlan.changes {
            for precondition in change.preconditions where seen.insert(precondition.key).inserted {
                let now = index[precondition.key]
                guard now != precondition.observed else { continue }
                switch (precondition.observed, now) {
                case (nil, _): lines.append("\(precondition.key): now exists (was absent)")
                case (_, nil): lines.append("\(precondition.key): now absent")
                default: lines.append("\(precondition.key): changed since the plan")
                }
            }
        }
        return lines
    }
}
