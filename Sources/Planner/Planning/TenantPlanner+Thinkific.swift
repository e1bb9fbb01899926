import Spec

extension TenantPlanner {
    /// Users, groups, memberships and enrollments for the courses and groups the tenant's rules name, and the
    /// removals of the tenant's people who lost them (DESIGN §3–4).
    mutating func planThinkific(_ match: inout ThinkificMatch) {
        let usesThinkific = tenant.access.contains { $0.thinkific != nil }
        guard usesThinkific, workspace.config.connections.thinkific != nil else { return }
        guard match.observed != nil else {
            errors.append(.notObserved("thinkific"))
            return
        }
        for slug in tenant.courses where match.courseBySlug[slug] == nil { errors.append(.courseMissing(slug)) }
        var createdGroups: Set<String> = []
        for email in desired.sortedEmails {
            guard let person = desired.people[email], person.hasThinkific else { continue }
            planThinkificPerson(person, match, &createdGroups)
        }
        planThinkificRemovals(match)
    }

    /// The person's user (created, or updated after an email change), then their groups, then their enrollments;
    /// the user's creation, when there is one, is what the later changes depend on.
    private mutating func planThinkificPerson(
        _ person: DesiredPerson, _ match: ThinkificMatch, _ createdGroups: inout Set<String>
    ) {
        let userChange = planThinkificUser(person, match)
        planThinkificGroups(person, match, userChange: userChange, &createdGroups)
        planThinkificEnrollments(person, match, userChange: userChange)
    }

    /// `directory/person/<email>` for a person who came from the directory.
    private func personKeys(_ person: DesiredPerson) -> [String] {
        person.idpID == nil ? [] : directoryKeys(person.email)
    }

    /// Creates the person's user, or renames it after an email change; returns the id of the creating change.
    private mutating func planThinkificUser(_ person: DesiredPerson, _ match: ThinkificMatch) -> String? {
        let email = person.email
        let user = match.users[email]
        let userKey = ObjectKey.thinkificUser(email)
        let personKeys = personKeys(person)
        var userChange: String?
        if let user, let old = match.renamedFrom[email] {
            add(
                "thinkific/update-user/\(email)", .update,
                .updateThinkificUser(
                    userID: user.id, email: email, firstName: person.firstName.isEmpty ? user.firstName ?? "" : person.firstName,
                    lastName: person.lastName.isEmpty ? user.lastName ?? "" : person.lastName),
                reason: "email changed in the directory (was \(old))",
                keys: [ObjectKey.thinkificUser(old), userKey] + personKeys)
        } else if user == nil {
            let id = ObjectKey.thinkificUser(email)
            userChange = id
            add(
                id, .create,
                .createThinkificUser(email: email, firstName: person.firstName, lastName: person.lastName),
                reason: person.thinkificSources.reason, keys: [userKey] + personKeys)
        }
        return userChange
    }

    /// Groups: one call per person with every group they are missing (groups nobody has created yet first).
    private mutating func planThinkificGroups(
        _ person: DesiredPerson, _ match: ThinkificMatch, userChange: String?, _ createdGroups: inout Set<String>
    ) {
        let email = person.email
        let user = match.users[email]
        let userKey = ObjectKey.thinkificUser(email)
        let observedEmail = match.renamedFrom[email] ?? email
        let missing = person.thinkificGroups.sorted { $0.key < $1.key }.filter { group, _ in
            guard let user else { return true }
            return !(match.members[group]?.contains(user.id) ?? false)
        }
        var groupChanges: [String] = []
        for (group, sources) in missing where match.groupByName[group] == nil {
            let id = ObjectKey.thinkificGroup(group)
            groupChanges.append(id)
            guard createdGroups.insert(group).inserted else { continue }
            add(
                id, .create, .createThinkificGroup(name: group),
                reason: groupReason { $0.thinkific?.groups.contains(group) ?? false },
                keys: [ObjectKey.thinkificGroup(group)])
        }
        if let first = missing.first {
            let groups = missing.map(\.key)
            add(
                "thinkific/groups/\(email)", .create,
                .addToThinkificGroups(email: email, userID: user?.id, groups: groups),
                reason: first.value.reason, dependsOn: [userChange] + groupChanges,
                keys: [userKey] + groups.map { ObjectKey.membership(observedEmail, $0) } + personKeys(person))
        }
    }

    /// Enrollments: never a second one for a course; dates follow the programme.
    private mutating func planThinkificEnrollments(_ person: DesiredPerson, _ match: ThinkificMatch, userChange: String?) {
        let email = person.email
        let user = match.users[email]
        let userKey = ObjectKey.thinkificUser(email)
        let observedEmail = match.renamedFrom[email] ?? email
        let personKeys = personKeys(person)
        for (slug, sources) in person.courses.sorted(by: { $0.key < $1.key }) {
            guard let course = match.courseBySlug[slug] else { continue }
            let enrollmentKey = ObjectKey.enrollment(observedEmail, slug)
            guard let user, let enrollment = match.enrollments[UserCourse(userID: user.id, courseID: course.id)] else {
                add(
                    "thinkific/enroll/\(email)/\(slug)", .create,
                    .enroll(
                        email: email, userID: user?.id, courseSlug: slug, courseID: course.id, activatedAt: activatedAt.iso,
                        expiryDate: expiresAt.iso),
                    reason: sources.reason, dependsOn: [userChange], keys: [userKey, enrollmentKey] + personKeys)
                continue
            }
            let observedExpiry = enrollment.expiryDate.flatMap { Instant(parsing: $0) }
            guard observedExpiry != expiresAt else { continue }
            let reason = isActive(enrollment) ? "program.ends changed" : "re-granted: \(sources.reason)"
            add(
                "thinkific/update-enrollment/\(email)/\(slug)", .update,
                .updateEnrollment(
                    email: email, enrollmentID: enrollment.id, courseSlug: slug,
                    activatedAt: isActive(enrollment) ? nil : activatedAt.iso, expiryDate: expiresAt.iso,
                    previousExpiry: enrollment.expiryDate),
                reason: reason, keys: [enrollmentKey] + personKeys)
        }
    }

    /// Expire unexpired managed enrollments nobody is entitled to any more; ask for group removals by hand.
    private mutating func planThinkificRemovals(_ match: ThinkificMatch) {
        guard !suppressesRemovals, let observed = match.observed else { return }
        let managed = Set(tenant.courses)
        for enrollment in observed.enrollments {
            guard let slug = match.slugByCourseID[enrollment.courseID], managed.contains(slug), isActive(enrollment),
                match.enrollments[UserCourse(userID: enrollment.userID, courseID: enrollment.courseID)] == enrollment
            else { continue }
            let person = match.person(userID: enrollment.userID, fallback: enrollment.userEmail)
            if let claimed = match.claimed[enrollment.userID], desired.people[claimed]?.courses[slug] != nil { continue }
            guard match.claimed[enrollment.userID] != nil || isTenantPerson(person) else { continue }
            let observedEmail = match.emailByUserID[enrollment.userID] ?? enrollment.userEmail.lowercased()
            guard !heldBackEmails.contains(observedEmail) else { continue }
            let reason = removalReason(person) { $0.thinkific?.courses.contains(slug) ?? false }
            if policy == .keep {
                keep(person, slug, reason: reason)
                continue
            }
            removedPeople.insert(person)
            add(
                "thinkific/expire/\(observedEmail)/\(slug)", .remove,
                .expireEnrollment(email: observedEmail, enrollmentID: enrollment.id, courseSlug: slug, expiryDate: now.iso),
                reason: reason, keys: [ObjectKey.enrollment(observedEmail, slug)] + directoryKeys(person))
        }
        let managedGroups = Set(tenant.access.flatMap { $0.thinkific?.groups ?? [] })
        for group in observed.groupMembers where managedGroups.contains(group.groupName) {
            for userID in group.userIDs {
                guard let observedEmail = match.emailByUserID[userID], !heldBackEmails.contains(observedEmail) else { continue }
                let person = match.person(userID: userID, fallback: observedEmail)
                if let claimed = match.claimed[userID], desired.people[claimed]?.thinkificGroups[group.groupName] != nil {
                    continue
                }
                guard match.claimed[userID] != nil || isTenantPerson(person) else { continue }
                let reason = removalReason(person) { $0.thinkific?.groups.contains(group.groupName) ?? false }
                if policy == .keep {
                    keep(person, "Thinkific group \"\(group.groupName)\"", reason: reason)
                    continue
                }
                manualSteps.append(.removeFromThinkificGroup(email: observedEmail, group: group.groupName, reason: reason))
                manualLosses.append(
                    ManualLoss(
                        email: observedEmail, grant: Grant(destination: .thinkific, kind: .group, name: group.groupName),
                        cause: reason))
            }
        }
    }
}
