import Spec

extension SCIMSurface {
    /// The apps the default seed configures, used when the seed has no `scim:` section.
    public static let defaultApps = [App(name: "insights"), App(name: "dashboard")]

    /// Decodes `{apps: [{name, token?, users?, generate?}]}`; every shape error points at its node.
    static func apps(fromSeed seed: Node?) throws(SandboxError) -> [App] {
        guard let seed, !seed.isNull else { return defaultApps }
        guard let pairs = seed.pairs else { throw .seed(.scimSeedExpected("a mapping with 'apps'", at: seed)) }
        for pair in pairs where pair.key.string != "apps" {
            throw .seed(.scimSeedUnknownKey(pair.key.string ?? "?", at: pair.key))
        }
        guard let list = seed["apps"] else { return [] }
        guard let items = list.items else { throw .seed(.scimSeedExpected("a list of apps", at: list)) }
        var apps: [App] = []
        for item in items {
            guard let fields = item.pairs else { throw .seed(.scimSeedExpected("an app mapping {name, token}", at: item)) }
            for pair in fields where !["name", "token", "users", "generate"].contains(pair.key.string ?? "") {
                throw .seed(.scimSeedUnknownKey(pair.key.string ?? "?", at: pair.key))
            }
            guard let nameNode = item["name"], let name = nameNode.string else {
                throw .seed(.scimSeedExpected("a 'name'", at: item["name"] ?? item))
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { throw .seed(.scimSeedBadAppName(name, at: nameNode)) }
            guard !apps.contains(where: { $0.name == name }) else { throw .seed(.scimSeedDuplicateApp(name, at: nameNode)) }
            var token: String?
            if let tokenNode = item["token"] {
                guard let text = tokenNode.string, !text.isEmpty else {
                    throw .seed(.scimSeedExpected("a non-empty token", at: tokenNode))
                }
                token = text
            }
            apps.append(App(name: name, token: token, users: try seedUsers(item)))
        }
        return apps
    }
}

extension Diagnostic {
    static func scimSeedExpected(_ what: String, at node: Node) -> Diagnostic {
        .error("sandbox-seed", "scim: expected \(what)", at: node.location)
    }

    static func scimSeedUnknownKey(_ key: String, at node: Node) -> Diagnostic {
        .error("sandbox-seed", "scim: unknown key '\(key)'", at: node.location)
    }

    static func scimSeedBadAppName(_ name: String, at node: Node) -> Diagnostic {
        .error(
            "sandbox-seed", "scim: app name '\(name)' must be letters, digits, '-' or '_' (it is a URL path segment)",
            at: node.location)
    }

    static func scimSeedDuplicateApp(_ name: String, at node: Node) -> Diagnostic {
        .error("sandbox-seed", "scim: app '\(name)' is configured twice", at: node.location)
    }
}
