import Spec

extension TenantPlanner {
    /// The organization (create or update), and the state of SSO and Directory Sync as warnings and manual steps.
    mutating func planWorkOS() {
        guard workspace.config.connections.workos != nil else { return }
        // Not read at all: a tenant with a directory gets `directory-read-failed` from `trustedDirectoryPeople`.
        guard let directory = observation.directory else { return }
        let key = ObjectKey.organization(tenant.id)
        let organizationID = ObjectKey.organization(tenant.id)
        guard let organization = directory.organization else {
            add(
                organizationID, .create,
                .createOrganization(externalID: tenant.id, name: tenant.name, domains: tenant.domains),
                reason: "new tenant", keys: [key])
            if tenant.sso != .none { manualSteps.append(.configureSSO(tenant: tenant.id, reason: "sso: \(tenant.sso.rawValue)")) }
            if tenant.directory == .workos { manualSteps.append(.linkDirectory(tenant: tenant.id)) }
            return
        }
        let observedDomains = Set(organization.domains.map { $0.domain.lowercased() })
        if organization.name != tenant.name || observedDomains != Set(tenant.domains) {
            let reason = organization.name != tenant.name ? "name changed" : "domains changed"
            add(
                organizationID, .update,
                .updateOrganization(id: organization.id, name: tenant.name, domains: tenant.domains), reason: reason,
                keys: [key])
        }
        checkSSO(directory)
        checkDirectory(directory)
    }

    private mutating func checkSSO(_ directory: ObservedDirectory) {
        let expected = tenant.sso.workosConnectionTypes
        guard !expected.isEmpty else { return }
        let active = directory.connections.filter { $0.state == "active" }
        guard !active.contains(where: { expected.contains($0.connectionType) }) else { return }
        if let other = active.first {
            warnings.append(.ssoUnexpectedType(provider: tenant.sso, found: other.connectionType, expected: expected))
        } else {
            warnings.append(.ssoNotActive(provider: tenant.sso, expected: expected))
        }
        manualSteps.append(.configureSSO(tenant: tenant.id, reason: "sso: \(tenant.sso.rawValue)"))
    }

    private mutating func checkDirectory(_ directory: ObservedDirectory) {
        guard tenant.directory == .workos else { return }
        guard directory.directories.contains(where: { $0.state == "linked" }) else {
            warnings.append(.directoryNotLinked())
            manualSteps.append(.linkDirectory(tenant: tenant.id))
            return
        }
        guard directory.readSucceeded else { return }
        let existing = Set(directory.groups.map(\.name))
        for group in tenant.idpGroups where !existing.contains(group) {
            warnings.append(.idpGroupMissing(group))
        }
    }

    /// The directory people planning may rely on: none when the tenant has no directory, and none (with why, an error
    /// that stops all removals) when the directory could not be read. A person whose email is not a valid address, or
    /// who has none (WorkOS's `email` is nullable), is left out (`heldBack`, each a warning): nothing is created for
    /// an address no system can deliver to, and nobody is matched by a guess.
    static func trustedDirectoryPeople(
        tenant: Tenant, observation: ObservedTenant
    ) -> (people: [DirectoryPerson], failure: String?, heldBack: [DirectoryPerson]) {
        guard tenant.directory == .workos else { return ([], nil, []) }
        guard let directory = observation.directory, directory.readSucceeded else {
            return ([], observation.directory?.failure ?? "WorkOS was not read", [])
        }
        let isValid = { (person: DirectoryPerson) -> Bool in
            guard let email = person.email, !email.isEmpty else { return false }
            return EmailAddress.isValid(email)
        }
        return (directory.users.filter(isValid), nil, directory.users.filter { !isValid($0) })
    }

    /// A directory that returns nobody while people of the tenant have access is an error, never "everyone
    /// left": the people listed only in rosters do not count, since the directory never granted them anything.
    func directoryEmptyProblem(provisioned: Set<String>) -> PlanProblem? {
        guard tenant.directory == .workos, directoryFailure == nil, scope == nil else { return nil }
        guard !directoryPeople.contains(where: \.isActive) else { return nil }
        let fromDirectory = provisioned.subtracting(rosterEmails)
        guard !fromDirectory.isEmpty else { return nil }
        return .directoryEmpty(provisioned: fromDirectory.count)
    }
}
