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
            guard let person = desired.people[email], let sources = person.scimApps[app] else { continue }
            let userChange = planSCIMUser(person, sources: sources, match)
            planSCIMMemberships(person, match, userChange: userChange, &createdGroups)
        }
        planSCIMRemovals(match, observed)
    }

    /// Creates the person's user in the app, or renames or reactivates it; returns the id of the creating change.
    private mutating func planSCIMUser(_ person: DesiredPerson, sources: Sources, _ match: SCIMMatch) -> String? {
        let app = match.app
        let email = person.email
        let user = match.users[email]
        let userKey = ObjectKey.scimUser(app, email)
        let personKeys = person.idpID == nil ? [] : directoryKeys(email)
        var userChange: String?
        if let user {
            let renamed = user.userName.lowercased() != email
            if renamed || !user.active {
                add(
                    "\(app)/update-user/\(email)", .update,
                    .updateSCIMUser(
                        app: app, userID: user.id, userName: email, externalID: person.idpID ?? user.externalID,
                        givenName: person.firstName.isEmpty ? user.givenName ?? "" : person.firstName,
                        familyName: person.lastName.isEmpty ? user.familyName ?? "" : person.lastName, active: true),
                    reason: renamed
                        ? "email changed in the directory (was \(user.userName))" : "reactivated: \(sources.reason)",
                    keys: [ObjectKey.scimUser(app, user.userName.lowercased())] + (renamed ? [userKey] : [])
                        + personKeys)
            }
        } else {
            let id = "\(app)/user/\(email)"
            userChange = id
            add(
                id, .create,
                .createSCIMUser(
                    app: app, userName: email, externalID: person.idpID, givenName: person.firstName,
                    familyName: person.lastName),
                reason: sources.reason, keys: [userKey] + personKeys)
        }
        return userChange
    }

    /// The person's memberships of the app's groups the rules name (creating a group nobody has created yet).
    private mutating func planSCIMMemberships(
        _ person: DesiredPerson, _ match: SCIMMatch, userChange: String?, _ createdGroups: inout Set<String>
    ) {
        let app = match.app
        let email = person.email
        let user = match.users[email]
        let userKey = ObjectKey.scimUser(app, email)
        let personKeys = person.idpID == nil ? [] : directoryKeys(email)
        let observedName = user?.userName.lowercased() ?? email
        for (group, groupSources) in (person.scimGroups[app] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let existing = match.groupByName[group]
            if let user, match.members[group]?.contains(user.id) == true { continue }
            var groupChange: String?
            if existing == nil {
                let id = "\(app)/group/\(group)"
                groupChange = id
                if createdGroups.insert(group).inserted {
                    add(
                        id, .create, .createSCIMGroup(app: app, displayName: group),
                        reason: groupReason { $0.scim(app)?.groups.contains(group) ?? false },
                        keys: [ObjectKey.scimGroup(app, group)])
                }
            }
            add(
                "\(app)/add-member/\(group)/\(email)", .create,
                .addSCIMMember(app: app, group: group, groupID: existing?.id, userName: email, userID: user?.id),
                reason: groupSources.reason, dependsOn: [userChange, groupChange],
                keys: [
                    userKey, ObjectKey.scimGroup(app, group),
                    ObjectKey.scimMember(app, group, observedName),
                ]
                    + personKeys)
        }
    }

    private mutating func planSCIMRemovals(_ match: SCIMMatch, _ observed: ObservedSCIMApp) {
        guard !suppressesRemovals else { return }
        let app = match.app
        var deleted: Set<String> = []
        for user in observed.users.sorted(by: { $0.userName.lowercased() < $1.userName.lowercased() })
        where user.active && !isHeldBack(user) {
            let person = match.person(user)
            if let claimed = match.claimed[user.id], desired.people[claimed]?.scimApps[app] != nil { continue }
            guard match.claimed[user.id] != nil || isTenantPerson(person) else { continue }
            let reason = removalReason(person, idpID: user.externalID) { $0.scim(app) != nil }
            let userName = user.userName.lowercased()
            let keys = [ObjectKey.scimUser(app, userName)] + directoryKeys(person)
            switch policy {
            case .keep:
                keep(person, "\(app) access", reason: reason)
            case .delete:
                removedPeople.insert(person)
                deleted.insert(user.id)
                add(
                    "\(app)/delete/\(userName)", .remove,
                    .deleteSCIMUser(app: app, userID: user.id, userName: user.userName), reason: reason, keys: keys)
            case .expire, .deactivate:
                removedPeople.insert(person)
                add(
                    "\(app)/deactivate/\(userName)", .remove,
                    .deactivateSCIMUser(app: app, userID: user.id, userName: user.userName), reason: reason, keys: keys)
            }
        }
        let managedGroups = Set(tenant.access.flatMap { $0.scim(app)?.groups ?? [] })
        for group in observed.groups where managedGroups.contains(group.displayName) {
            for memberID in group.memberIDs {
                guard let user = match.byID[memberID], !deleted.contains(memberID), !isHeldBack(user) else { continue }
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
                    "\(app)/remove-member/\(group.displayName)/\(userName)", .remove,
                    .removeSCIMMember(
                        app: app, group: group.displayName, groupID: group.id, userName: user.userName, userID: user.id),
                    reason: reason,
                    keys: [ObjectKey.scimMember(app, group.displayName, userName)] + directoryKeys(person))
            }
        }
    }

    /// A user of a person left out for an invalid directory email: kept as is.
    private func isHeldBack(_ user: SCIMUser) -> Bool {
        user.externalID.map(heldBackIdpIDs.contains) ?? false || heldBackEmails.contains(user.userName.lowercased())
    }
}
