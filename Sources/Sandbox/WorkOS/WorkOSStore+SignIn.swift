import Foundation

/// `POST /_sandbox/workos/organizations/{organization}/sign-ins`: a person signs in through the organization's SSO
/// connection, as an identity provider would let them, and WorkOS records `authentication.sso_succeeded`.
extension WorkOSStore {
    /// An organization by id or external id.
    func organizationByAnyID(_ key: String) throws(WorkOSErrorResponse) -> Int {
        guard let position = index.organization[key] ?? index.organizationByExternalID[key] else {
            throw .notFound("Organization", key)
        }
        return position
    }

    /// Body: `email` (required), `first_name`, `last_name`, `idp_id`, `connection` (a connection id of this
    /// organization; default its first active one). Answers 201 with the `event` recorded and the `profile` WorkOS
    /// would hand the application (the event itself carries no names: the vendor's shape).
    mutating func signIn(to position: Int, _ body: [String: Any], now: Date) throws(WorkOSErrorResponse) -> HTTPResponse {
        let organization = state.organizations[position]
        guard let email = body["email"] as? String, email.contains("@"), email.utf8.count <= 320 else {
            throw .invalid("email", "required", "email is required.")
        }
        for key in ["first_name", "last_name", "idp_id", "connection"] where body[key] != nil && !(body[key] is String) {
            throw .invalid(key, "invalid", "\(key) must be a string.")
        }
        let connection = try signInConnection(of: organization.id, named: body["connection"] as? String)
        let session = state.ids.next("sess", at: now)
        let data: [String: Any] = [
            "type": "sso", "status": "succeeded", "ip_address": "203.0.113.42", "user_agent": "stoicprov-sandbox",
            "user_id": NSNull(), "email": email,
            "sso": ["organization_id": organization.id, "connection_id": connection.id, "session_id": session],
        ]
        record("authentication.sso_succeeded", organizationID: organization.id, data: data, now: now)
        let profile: [String: Any] = [
            "object": "profile", "id": state.ids.next("prof", at: now), "email": email,
            "first_name": body["first_name"] as? String ?? NSNull(), "last_name": body["last_name"] as? String ?? NSNull(),
            "idp_id": body["idp_id"] as? String ?? email, "connection_id": connection.id,
            "connection_type": connection.connectionType, "organization_id": organization.id, "raw_attributes": [:],
        ]
        let event = state.events.last.map { state.json($0) } ?? [:]
        return JSONWriter.response(201, ["event": event, "profile": profile] as [String: Any])
    }

    /// The connection a sign-in goes through: the one named (which must belong to the organization) or the
    /// organization's first active one; it must be active.
    private func signInConnection(
        of organizationID: String, named id: String?
    ) throws(WorkOSErrorResponse)
        -> SSOConnectionRecord
    {
        let connection: SSOConnectionRecord
        if let id {
            guard let position = index.ssoConnection[id], state.connections[position].organizationID == organizationID else {
                throw .invalid("connection", "invalid", "Connection '\(id)' does not belong to organization \(organizationID).")
            }
            connection = state.connections[position]
        } else {
            guard let first = state.connections.first(where: { $0.organizationID == organizationID && $0.state == "active" })
            else {
                throw .invalid("connection", "required", "Organization \(organizationID) has no active SSO connection.")
            }
            connection = first
        }
        guard connection.state == "active" else {
            throw .invalid("connection", "inactive", "Connection '\(connection.id)' is not active.")
        }
        return connection
    }
}
