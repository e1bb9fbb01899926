import Foundation

/// The API's JSON for each object: every field the spec requires plus what the stricter SDK (pydantic, PY5) insists on
/// (`object`, `metadata: {}`, `allow_profiles_outside_organization`, `emails`, `raw_attributes`, `groups`).
extension WorkOSState {
    func json(_ organization: WorkOSOrganization) -> [String: Any] {
        [
            "object": "organization",
            "id": organization.id,
            "name": organization.name,
            "external_id": organization.externalID ?? NSNull(),
            "allow_profiles_outside_organization": false,
            "metadata": organization.metadata,
            "stripe_customer_id": organization.stripeCustomerID ?? NSNull(),
            "domains": organization.domains.map { domain in
                [
                    "object": "organization_domain",
                    "id": domain.id,
                    "organization_id": organization.id,
                    "domain": domain.domain,
                    "state": domain.state,
                    "verification_strategy": "manual",
                    "created_at": domain.createdAt,
                    "updated_at": domain.updatedAt,
                ] as [String: Any]
            },
            "created_at": organization.createdAt,
            "updated_at": organization.updatedAt,
        ]
    }

    func json(_ connection: SSOConnectionRecord) -> [String: Any] {
        [
            "object": "connection",
            "id": connection.id,
            "organization_id": connection.organizationID,
            "connection_type": connection.connectionType,
            "name": connection.name,
            "state": connection.state,
            "status": connection.state == "active" ? "linked" : "unlinked",
            "domains": connection.domains.map { ["object": "connection_domain", "id": $0.id, "domain": $0.domain] },
            "created_at": connection.createdAt,
            "updated_at": connection.updatedAt,
        ]
    }

    func json(_ directory: WorkOSDirectory, index: WorkOSIndex) -> [String: Any] {
        let users = index.usersByDirectory[directory.id]?.count ?? 0
        let inactive = index.inactiveUsersByDirectory[directory.id] ?? 0
        return [
            "object": "directory",
            "id": directory.id,
            "organization_id": directory.organizationID,
            "external_key": directory.externalKey,
            "name": directory.name,
            "type": directory.type,
            "state": directory.state,
            "domain": directory.domain ?? NSNull(),
            "metadata": [
                "users": ["active": users - inactive, "inactive": inactive],
                "groups": index.groupsByDirectory[directory.id]?.count ?? 0,
            ] as [String: Any],
            "created_at": directory.createdAt,
            "updated_at": directory.updatedAt,
        ]
    }

    func json(_ group: WorkOSGroup) -> [String: Any] {
        [
            "object": "directory_group",
            "id": group.id,
            "idp_id": group.idpID,
            "directory_id": group.directoryID,
            "organization_id": group.organizationID,
            "name": group.name,
            "raw_attributes": [String: Any](),
            "created_at": group.createdAt,
            "updated_at": group.updatedAt,
        ]
    }

    func json(_ user: WorkOSUser, index: WorkOSIndex) -> [String: Any] {
        [
            "object": "directory_user",
            "id": user.id,
            "idp_id": user.idpID,
            "directory_id": user.directoryID,
            "organization_id": user.organizationID,
            // No email (a `strict` profile's service account): `email` and `username` null, no `emails`.
            "email": user.email.isEmpty ? NSNull() : user.email,
            "first_name": user.firstName,
            "last_name": user.lastName,
            "username": user.email.isEmpty ? NSNull() : user.email,
            "emails": user.email.isEmpty ? [] : [["primary": true, "type": "work", "value": user.email] as [String: Any]],
            "state": user.state,
            "raw_attributes": [String: Any](),
            "custom_attributes": [String: Any](),
            "role": ["slug": "member"],
            "roles": [["slug": "member"]],
            "groups": user.groupIDs.compactMap { index.group[$0].map { json(groups[$0]) } },
            "created_at": user.createdAt,
            "updated_at": user.updatedAt,
        ]
    }

    func json(_ event: WorkOSEvent) -> [String: Any] {
        [
            "object": "event",
            "id": event.id,
            "event": event.event,
            "data": JSONWriter.Raw(data: event.data),
            "created_at": event.createdAt,
        ]
    }
}
