// Snake_case keys for the saved-plan JSON (docs/plan-format.md). Explicit keys rather than a key strategy, so that
// connection names used as dictionary keys (`observation_requests`) are written exactly as the workspace spells them.

extension Plan {
    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case createdAt = "created_at"
        case workspaceDigest = "workspace_digest"
        case tenants
        case workspace
        case emailDisplay = "email_display"
    }
}

extension TenantPlan {
    enum CodingKeys: String, CodingKey {
        case tenant
        case name
        case changes
        case manualSteps = "manual_steps"
        case errors
        case warnings
        case seats
        case removalGuard = "removal_guard"
        case observationRequests = "observation_requests"
        case estimates
        case summary
    }
}

extension Change {
    /// The saved form names the destination (readers of the JSON need not know every action); reading it back, it
    /// must be the action's own.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let action = try container.decode(Action.self, forKey: .action)
        let destination = try container.decode(Destination.self, forKey: .destination)
        guard destination == action.destination else {
            throw DecodingError.dataCorruptedError(
                forKey: .destination, in: container,
                debugDescription: "destination \"\(destination)\" is not where the action goes (\"\(action.destination)\")")
        }
        self.init(
            id: try container.decode(String.self, forKey: .id), kind: try container.decode(Kind.self, forKey: .kind),
            action: action, reason: try container.decode(String.self, forKey: .reason),
            dependsOn: try container.decode([String].self, forKey: .dependsOn),
            preconditions: try container.decode([Precondition].self, forKey: .preconditions))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(destination, forKey: .destination)
        try container.encode(kind, forKey: .kind)
        try container.encode(action, forKey: .action)
        try container.encode(reason, forKey: .reason)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encode(preconditions, forKey: .preconditions)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case destination
        case kind
        case action
        case reason
        case dependsOn = "depends_on"
        case preconditions
    }
}

extension ApplyEstimate {
    enum CodingKeys: String, CodingKey {
        case connection
        case requests
        case requestsPerMinute = "requests_per_minute"
        case seconds
        case bindingLimit = "binding_limit"
    }
}

extension Precondition {
    /// Writes `"observed": null` for an absent object rather than leaving the key out: absence is an observation.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(observed, forKey: .observed)
    }

    enum CodingKeys: String, CodingKey {
        case key
        case observed
    }
}
