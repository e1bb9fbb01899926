import Foundation

/// Reads `stoicprov.yaml`'s node tree into a `WorkspaceConfig`, reporting every problem.
enum ConfigReader {
    /// `redactions` receives where values that may be secrets start, so snippets can hide them.
    static func read(
        _ node: Node, file: String, diagnostics: inout Diagnostics, redactions: inout [SourceLocation]
    ) -> WorkspaceConfig {
        var check = ShapeCheck()
        check.check(node, against: .config, key: "stoicprov.yaml")
        diagnostics.append(contentsOf: check.diagnostics)
        redactions += check.redactions

        let connectionsNode = node["connections"]
        var scim: [SCIMConnection] = []
        var workos: WorkOSConnection?
        var thinkific: ThinkificConnection?
        for pair in connectionsNode?.pairs ?? [] {
            guard let name = pair.key.string else { continue }
            let value = pair.value
            switch name {
            case "workos":
                workos = WorkOSConnection(
                    apiKey: secret(value["api_key"]), baseURL: url(value["base_url"]) ?? WorkOSConnection.defaultBaseURL,
                    requestsPerMinute: value["requests_per_minute"]?.int, location: pair.key.location)
            case "thinkific":
                thinkific = ThinkificConnection(
                    subdomain: value["subdomain"]?.string ?? "", apiKey: secret(value["api_key"]),
                    baseURL: url(value["base_url"]) ?? ThinkificConnection.defaultBaseURL,
                    requestsPerMinute: value["requests_per_minute"]?.int, location: pair.key.location)
            default:
                // Typos of workos/thinkific were reported by the shape check; they are not SCIM connections.
                guard value["scim"] != nil else { continue }
                var connection = SCIMConnection(
                    name: name, baseURL: url(value["scim"]) ?? WorkOSConnection.defaultBaseURL,
                    token: secret(value["token"]), requestsPerMinute: value["requests_per_minute"]?.int,
                    location: pair.key.location)
                connection.filter = value["filter"]?.string.flatMap(SCIMFilterSupport.init(rawValue:)) ?? .auto
                connection.userNameIsMutable = value["user_name"]?.string != "immutable"
                scim.append(connection)
            }
        }

        let defaultsNode = node["defaults"]
        var defaults = Defaults()
        if let removal = defaultsNode?["removal"]?.string.flatMap(RemovalPolicy.init(rawValue:)) {
            defaults.removal = removal
        }
        if let limitNode = defaultsNode?["safety"]?["max_removals"], case .limit(let limit) = Format.removalLimit(limitNode) {
            defaults.maxRemovals = limit
        }
        var config = WorkspaceConfig(
            version: node["version"]?.int ?? 1,
            connections: Connections(workos: workos, thinkific: thinkific, scim: scim), defaults: defaults, file: file)
        if let emails = node["review"]?["emails"]?.string.flatMap(EmailDisplay.init(rawValue:)) { config.review.emails = emails }
        if let key = node["review"]?["pseudonym_key"] { config.review.pseudonymKey = secret(key) }
        return config
    }

    /// A checked secret reference; an invalid one was already reported, and the config is then discarded.
    private static func secret(_ node: Node?) -> SecretRef {
        if let text = node?.string, case .reference(let reference) = Format.secret(text) { return reference }
        return .env("")
    }

    private static func url(_ node: Node?) -> URL? {
        node?.string.flatMap(Format.url)
    }
}
