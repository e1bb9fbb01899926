import Planner

extension PlanRenderer {
    /// Per destination of `tenant`, what stoicprov leaves alone because it did not provision it, and how to adopt it:
    /// `insights: 1,100 users, 1,100 group memberships not provisioned by stoicprov: left alone (to manage them:
    /// adopt: { insights: { existing: true } })`. Destinations in name order.
    static func unmanagedLines(_ tenant: TenantPlan, escape: (String) -> String) -> [String] {
        let counts = tenant.unmanaged ?? []
        let destinations = Array(Set(counts.map(\.destination.name))).sorted()
        return destinations.map { destination in
            let parts = counts.filter { $0.destination.name == destination }.sorted { $0.kind.order < $1.kind.order }.map {
                counted($0.count, $0.kind.singular)
            }
            return "\(escape(destination)): \(parts.joined(separator: ", ")) not provisioned by stoicprov: left alone "
                + "(to manage them: adopt: { \(escape(destination)): { existing: true } })"
        }
    }
}

extension UnmanagedCount.Kind {
    fileprivate var singular: String {
        switch self {
        case .users: "user"
        case .enrollments: "enrollment"
        case .memberships: "group membership"
        }
    }

    fileprivate var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
