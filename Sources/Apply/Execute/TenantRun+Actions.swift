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
        case .createOrganization(let externalID, let name, let domains):
            return try await createOrganization(change, externalID: externalID, name: name, domains: domains)
        case .updateOrganization(let id, let name, let domains):
            return StepResult(status: try await workos().updateOrganization(id: id, name: name, domains: domains))
        case .createThinkificUser(let email, let firstName, let lastName):
            return try await createThinkificUser(email: email, firstName: firstName, lastName: lastName)
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
            return try await enroll(
                change, email: email, userID: userID, courseID: courseID, activatedAt: activatedAt, expiryDate: expiryDate)
        case .updateEnrollment(_, let enrollmentID, _, let activatedAt, let expiryDate, let previousExpiry):
            let status = try await thinkific().updateEnrollment(
                id: enrollmentID, activatedAt: activatedAt, expiryDate: expiryDate, clearsExpiry: previousExpiry != nil)
            return StepResult(status: status)
        case .expireEnrollment(_, let enrollmentID, _, _):
            return StepResult(status: try await thinkific().expireEnrollment(id: enrollmentID, now: executor.options.now()))
        case .createSCIMUser, .updateSCIMUser, .deactivateSCIMUser, .deleteSCIMUser, .createSCIMGroup:
            return try await performSCIMUserOrGroup(change)
        case .addSCIMMember, .removeSCIMMember:
            return try await performMemberships([change])[0].get()
        }
    }

    /// `POST /organizations` with an idempotency key derived from the plan and the change, so a resend after a lost
    /// answer creates nothing twice.
    private func createOrganization(
        _ change: Change, externalID: String, name: String, domains: [String]
    ) async throws(LiveError) -> StepResult {
        let key = "stoicprov-" + String(SHA256.hex(Data((planDigest + "\n" + change.id).utf8)).prefix(40))
        let result = try await workos().createOrganization(
            externalID: externalID, name: name, domains: domains, idempotencyKey: key)
        ids[ObjectKey.organization(externalID)] = result.id
        return StepResult(result)
    }

    private func createThinkificUser(email: String, firstName: String, lastName: String) async throws(LiveError) -> StepResult {
        let result = try await thinkific().createUser(email: email, firstName: firstName, lastName: lastName)
        ids[ObjectKey.thinkificUser(email)] = String(result.id)
        // An adopted user was made by someone else after the observation: nothing about it was observed.
        if result.adopted { ids[ChangeGraph.adoptedKey(ObjectKey.thinkificUser(email))] = "adopted" }
        return StepResult(result)
    }

    /// An enrollment of a user adopted during this run is looked up first: nothing about that user was observed.
    private func enroll(
        _ change: Change, email: String, userID: Int?, courseID: Int, activatedAt: String, expiryDate: String?
    ) async throws(LiveError) -> StepResult {
        let user = try await thinkificUserID(userID, email: email)
        let absent =
            knownAbsent(change, "thinkific/enrollment/") && ids[ChangeGraph.adoptedKey(ObjectKey.thinkificUser(email))] == nil
        return StepResult(
            try await thinkific().enroll(
                userID: user, courseID: courseID, activatedAt: activatedAt, expiryDate: expiryDate, knownAbsent: absent))
    }

    /// The SCIM user and group actions (memberships go in batches: `performMemberships`).
    private func performSCIMUserOrGroup(_ change: Change) async throws(LiveError) -> StepResult {
        switch change.action {
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
        default:
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

    /// The plan's id, else the one an earlier change made (or found), else a lookup by email.
    private func thinkificUserID(_ planned: Int?, email: String) async throws(LiveError) -> Int {
        try await resolvedID(planned, key: ObjectKey.thinkificUser(email), what: "Thinkific user \(email)") {
            () async throws(LiveError) -> Int? in try await thinkific().user(email: email)?.id
        }
    }

    func scimGroupID(
        _ planned: String?, app: String, group: String, client: SCIMClient
    ) async throws(LiveError) -> String {
        try await resolvedID(planned, key: ObjectKey.scimGroup(app, group), what: "\(app) group \(group)") {
            () async throws(LiveError) -> String? in try await client.group(displayName: group)?.id
        }
    }

    func scimUserID(
        _ planned: String?, app: String, userName: String, client: SCIMClient
    ) async throws(LiveError) -> String {
        try await resolvedID(planned, key: ObjectKey.scimUser(app, userName), what: "\(app) user \(userName)") {
            () async throws(LiveError) -> String? in try await client.user(userName: userName)?.id
        }
    }

    /// The one rule for an id a change needs: the plan's, else the one an earlier change of the run made or found
    /// (under `key`), else `lookup`'s, remembered for the changes after it; none is `unresolvedID(what)`.
    private func resolvedID<ID: LosslessStringConvertible>(
        _ planned: ID?, key: String, what: String, lookup: () async throws(LiveError) -> ID?
    ) async throws(LiveError) -> ID {
        if let planned { return planned }
        if let known = ids[key].flatMap(ID.init) { return known }
        guard let found = try await lookup() else { throw .unresolvedID(what: what) }
        ids[key] = found.description
        return found
    }
}
