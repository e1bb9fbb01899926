import Foundation
import Live
import Planner
import Spec

/// What carrying out one action came to.
struct StepResult: Sendable {
    var adopted = false
    var status: Int?
    var attempts = 1

    init(adopted: Bool = false, status: Int?, attempts: Int = 1) {
        self.adopted = adopted
        self.status = status
        self.attempts = attempts
    }

    init<ID>(_ write: WriteResult<ID>) {
        self.init(adopted: write.adopted, status: write.status, attempts: write.attempts)
    }
}

/// One method per `Action` case: the client call that carries it out, with ids made by earlier changes resolved.
extension TenantRun {
    func perform(_ change: Change) async throws(LiveError) -> StepResult {
        switch change.action {
        // MARK: WorkOS
        case .createOrganization(let externalID, let name, let domains):
            let key = "stoicprov-" + String(SHA256.hex(Data((planDigest + "\n" + change.id).utf8)).prefix(40))
            let result = try await workos().createOrganization(
                externalID: externalID, name: name, domains: domains, idempotencyKey: key)
            ids[ObjectKey.organization(externalID)] = result.id
            return StepResult(result)
        case .updateOrganization(let id, let name, let domains):
            return StepResult(status: try await workos().updateOrganization(id: id, name: name, domains: domains))

        // MARK: Thinkific
        case .createThinkificUser(let email, let firstName, let lastName):
            let result = try await thinkific().createUser(email: email, firstName: firstName, lastName: lastName)
            ids[ObjectKey.thinkificUser(email)] = String(result.id)
            // An adopted user was made by someone else after the observation: nothing about it was observed.
            if result.adopted { ids[ChangeGraph.adoptedKey(ObjectKey.thinkificUser(email))] = "adopted" }
            return StepResult(result)
        case .updateThinkificUser(let userID, let email, let firstName, let lastName):
            let status = try await thinkific().updateUser(id: userID, email: email, firstName: firstName, lastName: lastName)
            ids[ObjectKey.thinkificUser(email)] = String(userID)
            return StepResult(status: status)
        case .recordThinkificSignIn(let email, let userID, let marker):
            let user = try await thinkificUserID(userID, email: email)
            return StepResult(status: try await thinkific().setExternalSource(userID: user, marker))
        case .createThinkificGroup(let name):
            let result = try await thinkific().createGroup(name: name, knownAbsent: knownAbsent(change, "thinkific/group/"))
            ids[ObjectKey.thinkificGroup(name)] = String(result.id)
            return StepResult(result)
        case .addToThinkificGroups(let email, let userID, let groups):
            let user = try await thinkificUserID(userID, email: email)
            return StepResult(try await thinkific().addToGroups(userID: user, groups: groups))
        case .enroll(let email, let userID, _, let courseID, let activatedAt, let expiryDate):
            let user = try await thinkificUserID(userID, email: email)
            let absent =
                knownAbsent(change, "thinkific/enrollment/")
                && ids[ChangeGraph.adoptedKey(ObjectKey.thinkificUser(email))] == nil
            return StepResult(
                try await thinkific().enroll(
                    userID: user, courseID: courseID, activatedAt: activatedAt, expiryDate: expiryDate, knownAbsent: absent))
        case .updateEnrollment(_, let enrollmentID, _, let activatedAt, let expiryDate, let previousExpiry):
            let status = try await thinkific().updateEnrollment(
                id: enrollmentID, activatedAt: activatedAt, expiryDate: expiryDate, clearsExpiry: previousExpiry != nil)
            return StepResult(status: status)
        case .expireEnrollment(_, let enrollmentID, _, _):
            return StepResult(status: try await thinkific().expireEnrollment(id: enrollmentID, now: executor.options.now()))

        // MARK: SCIM
        case .createSCIMUser(let app, let userName, let externalID, let givenName, let familyName):
            let result = try await scim(app).createUser(
                userName: userName, externalID: externalID, givenName: givenName, familyName: familyName)
            ids[ObjectKey.scimUser(app, userName)] = result.id
            return StepResult(result)
        case .updateSCIMUser(
            let app, let userID, let userName, let externalID, let givenName, let familyName, let active, let changed):
            let status = try await scim(app).updateUser(
                id: userID, userName: userName, externalID: externalID, givenName: givenName, familyName: familyName,
                active: active, changed: Set(changed))
            ids[ObjectKey.scimUser(app, userName)] = userID
            return StepResult(status: status)
        case .deactivateSCIMUser(let app, let userID, _):
            return StepResult(status: try await scim(app).deactivateUser(id: userID))
        case .deleteSCIMUser(let app, let userID, _):
            return StepResult(status: try await scim(app).deleteUser(id: userID))
        case .createSCIMGroup(let app, let displayName):
            let result = try await scim(app).createGroup(
                displayName: displayName, knownAbsent: knownAbsent(change, "scim/\(app)/group/"))
            ids[ObjectKey.scimGroup(app, displayName)] = result.id
            return StepResult(result)
        case .addSCIMMember, .removeSCIMMember:
            return try await performMemberships([change])[0].get()
        }
    }

    /// Whether the change's own object was observed absent (a precondition on a key under `prefix` with nothing
    /// observed) by an observation made under the tenant's lock: then a create needs no lookup first.
    func knownAbsent(_ change: Change, _ prefix: String) -> Bool {
        trustsObservation && change.preconditions.contains { $0.observed == nil && $0.key.hasPrefix(prefix) }
    }

    // MARK: - Clients

    private func thinkific() throws(LiveError) -> ThinkificClient {
        guard let client = executor.clients.thinkific else { throw .missingConnection(name: "thinkific", tenant: tenant.tenant) }
        return client
    }

    private func workos() throws(LiveError) -> WorkOSClient {
        guard let client = executor.clients.workos else { throw .missingConnection(name: "workos", tenant: tenant.tenant) }
        return client
    }

    func scim(_ app: String) throws(LiveError) -> SCIMClient {
        guard let client = executor.clients.scim[app] else { throw .missingConnection(name: app, tenant: tenant.tenant) }
        return client
    }

    // MARK: - Resolving ids

    /// The plan's id, else the one an earlier change made, else a lookup by email.
    private func thinkificUserID(_ planned: Int?, email: String) async throws(LiveError) -> Int {
        if let planned { return planned }
        if let known = ids[ObjectKey.thinkificUser(email)].flatMap(Int.init) { return known }
        guard let found = try await thinkific().user(email: email) else { throw .unresolvedID(what: "Thinkific user \(email)") }
        ids[ObjectKey.thinkificUser(email)] = String(found.id)
        return found.id
    }

    func scimGroupID(
        _ planned: String?, app: String, group: String, client: SCIMClient
    ) async throws(LiveError) -> String {
        if let planned { return planned }
        let key = ObjectKey.scimGroup(app, group)
        if let known = ids[key] { return known }
        guard let found = try await client.group(displayName: group) else { throw .unresolvedID(what: "\(app) group \(group)") }
        ids[key] = found.id
        return found.id
    }

    func scimUserID(
        _ planned: String?, app: String, userName: String, client: SCIMClient
    ) async throws(LiveError) -> String {
        if let planned { return planned }
        let key = ObjectKey.scimUser(app, userName)
        if let known = ids[key] { return known }
        guard let found = try await client.user(userName: userName) else { throw .unresolvedID(what: "\(app) user \(userName)") }
        ids[key] = found.id
        return found.id
    }
}
