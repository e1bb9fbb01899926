import Spec

extension TenantPlanner {
    /// Users and memberships of the groups the tenant's rules name in one SCIM app; deactivation (or deletion, or
    /// nothing under `keep`) of the tenant's users no longer entitled to the app.
    mutating func planSCIM(_ match: inout SCIMMatch) {
        let app = match.app
        guard workspace.config.connections.scim(named: app) != nil else { return }
        guard let observed = match.observed else {
            errors.append(.notObserved(app))
            return
        }
        var createdGroups: Set<String> = []
        for email in desired.sortedEmails {
            let person = desired.people[email]!
            guard let sources = person.scimApps[app] else { continue }
            let user = match.users[email]
            let userKey = ObservationIndex.Key.scimUser(app, email)
            let personKeys = person.idpID == nil ? [] : directoryKeys(email)
            var userChange: String?
            if let user {
                let renamed = user.userName.lowercased() != email
                if renamed || !user.active {
                    add(
                        "\(app)/update-user/\(email)", app, .update,
                        .updateSCIMUser(
                            app: app, userID: user.id, userName: email, externalID: person.idpID ?? user.externalID,
                            givenName: person.firstName.isEmpty ? user.givenName ?? "" : person.firstName,
                            familyName: person.lastName.isEmpty ? user.familyName ?? "" : person.lastName, active: true),
                        reason: renamed
                            ? "email changed in the directory (was \(user.userName))" : "reactivated: \(sources.reason)",
                        keys: [ObservationIndex.Key.scimUser(app, user.userName.lowercased())] + (renamed ? [userKey] : [])
                            + personKeys)
                }
            } else {
                userChange = "\(app)/user/\(email)"
                add(
                    userChange!, app, .create,
                    .createSCIMUser(
                        app: app, userName: email, externalID: person.idpID, givenName: person.firstName,
                        familyName: person.lastName),
                    reason: sources.reason, keys: [userKey] + personKeys)
            }
            let observedName = user?.userName.lowercased() ?? email
            for (group, groupSources) in (person.scimGroups[app] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let existing = match.groupByName[group]
                if let user, match.members[group]?.contains(user.id) == true { continue }
                var groupChange: String?
                if existing == nil {
                    groupChange = "\(app)/group/\(group)"
                    if createdGroups.insert(group).inserted {
                        add(
                            groupChange!, app, .create, .createSCIMGroup(app: app, displayName: group),
                            reason: groupReason { $0.scim(app)?.groups.contains(group) ?? false },
                            keys: [ObservationIndex.Key.scimGroup(app, group)])
                    }
                }
                add(
                    "\(app)/add-member/\(group)/\(email)", app, .create,
                    .addSCIMMember(app: app, group: group, groupID: existing?.id, userName: email, userID: user?.id),
                    reason: groupSources.reason, dependsOn: [userChange, groupChange],
                    keys: [
                        userKey, ObservationIndex.Key.scimGroup(app, group),
                        ObservationIndex.Key.scimMember(app, group, observedName),
                    ]
                        + personKeys)
            }
        }
        planSCIMRemovals(match, observed)
    }

    private mutating func planSCIMRemovals(_ match: SCIMMatch, _ observed: ObservedSCIMApp) {
        guard !suppressesRemovals else { return }
        let app = match.app
        var deleted: Set<String> = []
        for user in observed.users.sorted(by: { $0.userName.lowercased() < $1.userName.lowercased() }) where user.active {
            let person = match.person(user)
            if let claimed = match.claimed[user.id], desired.people[claimed]?.scimApps[app] != nil { continue }
            guard match.claimed[user.id] != nil || isTenantPerson(person) else { continue }
            let reason = removalReason(person, idpID: user.externalID) { $0.scim(app) != nil }
            let userName = user.userName.lowercased()
            let keys = [ObservationIndex.Key.scimUser(app, userName)] + directoryKeys(person)
            switch policy {
            case .keep:
                keep(person, "\(app) access", reason: reason)
            case .delete:
                removedPeople.insert(person)
                deleted.insert(user.id)
                add(
                    "\(app)/delete/\(userName)", app, .remove,
                    .deleteSCIMUser(app: app, userID: user.id, userName: user.userName), reason: reason, keys: keys)
            case .expire, .deactivate:
                removedPeople.insert(person)
                add(
                    "\(app)/deactivate/\(userName)", app, .remove,
                    .deactivateSCIMUser(app: app, userID: user.id, userName: user.userName), reason: reason, keys: keys)
            }
        }
        let managedGroups = Set(tenant.access.flatMap { $0.scim(app)?.groups ?? [] })
        for group in observed.groups where managedGroups.contains(group.displayName) {
            for memberID in group.memberIDs {
                guard let user = match.byID[memberID], !deleted.contains(memberID) else { continue }
                let person = match.person(user)
                if let claimed = match.claimed[user.id], desired.people[claimed]?.scimGroups[app]?[group.displayName] != nil {
                    continue
                }
                guard match.claimed[user.id] != nil || isTenantPerson(person) else { continue }
                let reason = removalReason(person, idpID: user.externalID) {
                    $0.scim(app)?.groups.contains(group.displayName) ?? false
                }
                if policy == .keep {
                    keep(person, "\(app) group \(group.displayName)", reason: reason)
                    continue
                }
                removedPeople.insert(person)
                let userName = user.userName.lowercased()
                add(
                    "\(app)/remove-member/\(group.displayName)/\(userName)", app, .remove,
                    .removeSCIMMember(
                        app: app, group: group.displayName, groupID: group.id, userName: user.userName, userID: user.id),
                    reason: reason,
                    keys: [ObservationIndex.Key.scimMember(app, group.displayName, userName)] + directoryKeys(person))
            }
        }
    }
}
