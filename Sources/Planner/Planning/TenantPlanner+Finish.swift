import Spec

extension TenantPlanner {
    /// Safety rules, order, estimates: the tenant's plan as it is saved. `provisioned`: the people with access now.
    mutating func finish(provisioned: Set<String>) -> TenantPlan {
        let entitled = desired.entitledCount + (scope?.entitledOutside ?? 0)
        let provisionedCount = provisioned.count + (scope?.provisionedOutside ?? 0)
        if entitled > tenant.seats {
            errors.insert(.seatsExceeded(entitled: entitled, seats: tenant.seats, file: tenant.file), at: 0)
        }
        let removals = removedPeople.filter { desired.people[$0]?.isEntitled != true }.count
        let limit = workspace.config.defaults.maxRemovals
        let threshold = limit.threshold(of: provisionedCount)
        let removalGuard = RemovalGuard(removals: removals, provisioned: provisionedCount, threshold: threshold)
        if removalGuard.isTripped {
            errors.append(
                .massRemoval(removals: removals, provisioned: provisionedCount, limit: limit, threshold: threshold))
        }
        ChangeOrder.sort(&changes)
        let ordered = changes
        var plan = TenantPlan(
            tenant: tenant.id, name: tenant.name, changes: ordered, manualSteps: manualSteps, errors: errors,
            warnings: warnings, seats: SeatUsage(entitled: entitled, licensed: tenant.seats), removalGuard: removalGuard,
            observationRequests: observation.requests, estimates: estimates(ordered))
        plan.summary = summary(of: plan, provisioned: provisioned)
        let unmanaged = unmanagedCounts
        plan.unmanaged = unmanaged.isEmpty ? nil : unmanaged
        return plan
    }

    /// What applying costs per connection (`ApplyEstimates`): apply re-observes the tenant under its lock, then sends
    /// one request per change, SCIM memberships in PATCHes of many members.
    private func estimates(_ changes: [Change]) -> [ApplyEstimate] {
        guard !changes.isEmpty else { return [] }
        return ApplyEstimates(connections: workspace.config.connections, readsDirectory: tenant.directory == .workos)
            .estimates(changes: changes, observationRequests: observation.requests)
    }
}

/// The deterministic order of a tenant's changes (DESIGN §7): destination (WorkOS, Thinkific, SCIM apps by
/// name), then `Action.stage` (organization → users → groups → memberships → enrollments → updates → removals), then the
/// person or object, then the id.
enum ChangeOrder {
    /// Sorts `changes` into this order, ties kept as given. Destinations and subjects are ranked once and the comparisons
    /// are of integers, with the id compared only between changes of one subject: a 50,000-person tenant has
    /// ~170,000 changes, and sorting them by string tuples spent over a second retaining and releasing strings.
    ///
    /// Sorted in place: the permutation is applied cycle by cycle, so a 170,000-change plan
    /// never has a second array of its changes (~30 MB) at the moment of its peak memory.
    static func sort(_ changes: inout [Change]) {
        let subjects = changes.map { subject($0.action) }
        let subjectRank = ranks(of: subjects, by: <)
        let destinationRank = ranks(of: changes.map(\.destination), by: <)
        let keys = changes.indices.map { index in
            (
                destinationRank[changes[index].destination, default: 0], changes[index].action.stage,
                subjectRank[subjects[index], default: 0]
            )
        }
        let order = changes.indices.sorted { lhs, rhs in
            if keys[lhs] != keys[rhs] { return keys[lhs] < keys[rhs] }
            if changes[lhs].id != changes[rhs].id { return changes[lhs].id < changes[rhs].id }
            return lhs < rhs
        }
        var placed = [Bool](repeating: false, count: changes.count)
        for start in changes.indices where !placed[start] {
            // Position `current` receives the change now at `order[current]`, until the cycle comes back to `start`.
            let first = changes[start]
            var current = start
            while true {
                placed[current] = true
                let source = order[current]
                if source == start {
                    changes[current] = first
                    break
                }
                changes[current] = changes[source]
                current = source
            }
        }
    }

    /// Each distinct value's position among the distinct values in `order`.
    private static func ranks<Value: Hashable>(of values: [Value], by order: (Value, Value) -> Bool) -> [Value: Int] {
        let distinct = Set(values).sorted(by: order)
        return Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($0.element, $0.offset) })
    }

    static func subject(_ action: Action) -> String {
        switch action {
        case .createOrganization(let externalID, _, _): externalID
        case .updateOrganization(let id, _, _): id
        case .createThinkificUser(let email, _, _), .updateThinkificUser(_, let email, _, _),
            .recordThinkificSignIn(let email, _, _), .addToThinkificGroups(let email, _, _), .enroll(let email, _, _, _, _, _),
            .updateEnrollment(let email, _, _, _, _, _), .expireEnrollment(let email, _, _, _):
            email
        case .createThinkificGroup(let name): name
        case .createSCIMUser(_, let userName, _, _, _), .updateSCIMUser(_, _, let userName, _, _, _, _, _),
            .deactivateSCIMUser(_, _, let userName), .deleteSCIMUser(_, _, let userName),
            .addSCIMMember(_, _, _, let userName, _), .removeSCIMMember(_, _, _, let userName, _):
            userName.lowercased()
        case .createSCIMGroup(_, let displayName): displayName
        }
    }
}
