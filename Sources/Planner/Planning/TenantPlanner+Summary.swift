import Spec

extension TenantPlanner {
    /// The tenant's access summary: the changes read per person and cause, with the rules behind each cause, the
    /// names the directory, rosters and live systems know, the seats taken now and the programme.
    func summary(of plan: TenantPlan, provisioned: Set<String>) -> AccessSummary {
        let context = AccessSummary.Context(
            program: ProgramDates(starts: tenant.program.starts.description, ends: tenant.program.ends.description),
            seatsBefore: provisioned.count, rules: rules(behind:), names: knownNames(), manualLosses: manualLosses)
        return AccessSummary(plan, context: context)
    }

    /// The access rules a cause names: `joined G`, `left G`, `no longer in G or H` through IdP groups, `listed in F`
    /// through a roster file, also after `re-granted: ` or `reactivated: `.
    func rules(behind cause: String) -> [String] {
        var text = Substring(cause)
        for prefix in ["re-granted: ", "reactivated: "] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        var groups: [String] = []
        if let group = text.dropPrefix("joined ") ?? text.dropPrefix("left ") {
            groups = [String(group)]
        } else if let list = text.dropPrefix("no longer in ") {
            groups = list.components(separatedBy: " or ")
        } else if let file = text.dropPrefix("listed in ") {
            let names = tenant.rosters.filter { $0.file.split(separator: "/").last.map(String.init) == String(file) }.map(
                \.access)
            return Array(Set(names)).sorted()
        }
        let rules = tenant.access.filter { rule in rule.idpGroups.contains { groups.contains($0) } }.map(\.name)
        return Array(Set(rules)).sorted()
    }

    /// Names by lower-cased email: the desired state (directory, rosters) first, then the directory's departed,
    /// then Thinkific users, then SCIM users.
    private func knownNames() -> (String) -> (first: String, last: String)? {
        var names: [String: (first: String, last: String)] = [:]
        func note(_ email: String, _ first: String?, _ last: String?) {
            let first = first ?? ""
            let last = last ?? ""
            guard !first.isEmpty || !last.isEmpty, names[email] == nil else { return }
            names[email] = (first, last)
        }
        for (email, person) in desired.people { note(email, person.firstName, person.lastName) }
        for (email, person) in desired.directoryByEmail { note(email, person.firstName, person.lastName) }
        for user in observation.thinkific?.users ?? [] { note(user.email.lowercased(), user.firstName, user.lastName) }
        for app in observation.scimApps {
            for user in app.users { note(user.userName.lowercased(), user.givenName, user.familyName) }
        }
        return { names[$0] }
    }

    /// Why a group is created: the rules that grant it, whoever needed it first (`granted by rules learners,
    /// managers`), so that the reason is the same whichever person the plan met first.
    func groupReason(_ grants: (AccessRule) -> Bool) -> String {
        let rules = tenant.access.filter(grants).map(\.name).sorted()
        return (rules.count == 1 ? "granted by rule " : "granted by rules ") + rules.joined(separator: ", ")
    }
}

extension Substring {
    fileprivate func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
