import Spec

/// The `workos:` section of a sandbox seed: organizations with their SSO connections and directories, and the
/// people and IdP groups in each directory (listed, or generated in bulk for load tests).
public struct WorkOSSeed: Sendable {
    public var apiKey: String
    public var organizations: [Organization]

    public init(apiKey: String = SandboxDefaults.workosAPIKey, organizations: [Organization] = []) {
        self.apiKey = apiKey
        self.organizations = organizations
    }

    public struct Organization: Sendable {
        public var name: String
        public var externalID: String?
        public var domains: [String]
        public var connections: [SSOConnection]
        public var directories: [Directory]

        public init(
            name: String, externalID: String? = nil, domains: [String] = [], connections: [SSOConnection] = [],
            directories: [Directory] = []
        ) {
            self.name = name
            self.externalID = externalID
            self.domains = domains
            self.connections = connections
            self.directories = directories
        }
    }

    /// An SSO connection of an organization (`connections:` in the seed).
    public struct SSOConnection: Sendable {
        public var type: String
        public var name: String
        public var state: String

        public init(type: String, name: String, state: String = "active") {
            self.type = type
            self.name = name
            self.state = state
        }
    }

    public struct Directory: Sendable {
        public var name: String
        public var type: String
        public var groups: [String]
        public var people: [Person]
        public var generators: [Generator]

        public init(
            name: String, type: String = "generic scim v2.0", groups: [String] = [], people: [Person] = [],
            generators: [Generator] = []
        ) {
            self.name = name
            self.type = type
            self.groups = groups
            self.people = people
            self.generators = generators
        }
    }

    public struct Person: Sendable {
        /// Empty for a user without an email (only under a profile that allows it).
        public var email: String
        public var firstName: String
        public var lastName: String
        public var groups: [String]
        /// `active`, `inactive`, or (under a profile that allows it) `suspended`.
        public var state: String

        public var isActive: Bool {
            get { state == "active" }
            set { state = newValue ? "active" : "inactive" }
        }

        public init(email: String, firstName: String, lastName: String, groups: [String] = [], isActive: Bool = true) {
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.groups = groups
            self.state = isActive ? "active" : "inactive"
        }
    }

    /// `count` people `person00001@<domain>`… spread deterministically over groups.
    public struct Generator: Sendable {
        public enum Groups: Sendable {
            /// Each person is in each group with the given probability (deterministic by person number).
            case fractions([(name: String, fraction: Double)])
            /// Person n is in group `n mod count`.
            case roundRobin([String])
        }

        public var count: Int
        public var domain: String
        public var groups: Groups
        /// Fraction of generated people whose state is `inactive`.
        public var inactive: Double

        public init(count: Int, domain: String, groups: Groups = .roundRobin([]), inactive: Double = 0) {
            self.count = count
            self.domain = domain
            self.groups = groups
            self.inactive = inactive
        }

        var groupNames: [String] {
            switch groups {
            case .fractions(let shares): shares.map(\.name)
            case .roundRobin(let names): names
            }
        }
    }
}

// MARK: - Decoding from the seed YAML

extension WorkOSSeed {
    /// Decodes the `workos:` section; `nil` means an empty surface with the default key. Under a profile that allows
    /// them, people may have the `suspended` state and no email (`email: ~` or none).
    public init(node: Node?, profile: WorkOSProfile = .kind) throws(SandboxError) {
        self.init()
        guard let node else { return }
        let root = try Self.mapping(node, "workos")
        if let key = root["api_key"] { apiKey = try Self.string(key, "api_key") }
        for item in try Self.sequence(root["organizations"], "organizations") {
            organizations.append(try Self.organization(item, profile: profile))
        }
        try Self.checkGeneratedPeople(root)
    }

    /// All `generate:` blocks together may create at most `SandboxLimits.seedGeneratedPeople` people; the error
    /// points at the `count` that goes over.
    private static func checkGeneratedPeople(_ root: Node) throws(SandboxError) {
        var total = 0
        for organization in root["organizations"]?.items ?? [] {
            for directory in organization["directories"]?.items ?? [] {
                for person in directory["people"]?.items ?? [] {
                    guard let count = person["generate"]?["count"], let number = count.int else { continue }
                    total = total.saturatingAdd(number)
                    if total > SandboxLimits.seedGeneratedPeople {
                        throw .seed(.seedTooManyGenerated(in: "workos", at: count.location))
                    }
                }
            }
        }
    }

    private static func organization(_ node: Node, profile: WorkOSProfile) throws(SandboxError) -> Organization {
        let map = try mapping(node, "organization")
        guard let nameNode = map["name"] else { throw .seed(.workosSeedMissing("name", at: node)) }
        var organization = Organization(name: try string(nameNode, "name"))
        if let externalID = map["external_id"], !externalID.isNull {
            organization.externalID = try string(externalID, "external_id")
        }
        organization.domains = try strings(map["domains"], "domains")
        for item in try sequence(map["connections"], "connections") {
            let connection = try mapping(item, "connection")
            guard let type = connection["type"] else { throw .seed(.workosSeedMissing("type", at: item)) }
            guard let name = connection["name"] else { throw .seed(.workosSeedMissing("name", at: item)) }
            organization.connections.append(
                SSOConnection(
                    type: try string(type, "type"), name: try string(name, "name"),
                    state: try connection["state"].map { node throws(SandboxError) in try string(node, "state") } ?? "active"))
        }
        for item in try sequence(map["directories"], "directories") {
            organization.directories.append(try directory(item, profile: profile))
        }
        return organization
    }

    private static func directory(_ node: Node, profile: WorkOSProfile) throws(SandboxError) -> Directory {
        let map = try mapping(node, "directory")
        guard let name = map["name"] else { throw .seed(.workosSeedMissing("name", at: node)) }
        var directory = Directory(name: try string(name, "name"))
        if let type = map["type"] { directory.type = try string(type, "type") }
        directory.groups = try strings(map["groups"], "groups")
        for item in try sequence(map["people"], "people") {
            let person = try mapping(item, "person")
            if let generate = person["generate"] {
                directory.generators.append(try generator(generate))
                continue
            }
            directory.people.append(try self.person(person, at: item, profile: profile))
        }
        return directory
    }

    private static func person(_ person: Node, at item: Node, profile: WorkOSProfile) throws(SandboxError) -> Person {
        // No email (`email: ~`, or no key) only where the profile allows users without one.
        if let email = person["email"], !email.isNull {
            return try personFields(person, email: try string(email, "email"), profile)
        }
        guard profile.allowsSuspendedAndNoEmail else { throw .seed(.workosSeedMissing("email", at: item)) }
        return try personFields(person, email: "", profile)
    }

    private static func personFields(_ person: Node, email: String, _ profile: WorkOSProfile) throws(SandboxError) -> Person {
        var entry = Person(
            email: email,
            firstName: try person["first_name"].map { node throws(SandboxError) in try string(node, "first_name") } ?? "",
            lastName: try person["last_name"].map { node throws(SandboxError) in try string(node, "last_name") } ?? "",
            groups: try strings(person["groups"], "groups"))
        if let state = person["state"] {
            let text = try string(state, "state")
            guard profile.userStates.contains(text) else {
                let expected = profile.userStates.count == 2 ? "active or inactive" : "active, inactive or suspended"
                throw .seed(.workosSeedInvalid("state", expected: expected, at: state))
            }
            entry.state = text
        }
        return entry
    }

    private static func generator(_ node: Node) throws(SandboxError) -> Generator {
        let map = try mapping(node, "generate")
        guard let countNode = map["count"] else { throw .seed(.workosSeedMissing("count", at: node)) }
        guard let count = countNode.int, count >= 0 else {
            throw .seed(.workosSeedInvalid("count", expected: "a whole number", at: countNode))
        }
        guard count <= SandboxLimits.seedGeneratedPeople else {
            throw .seed(.seedTooManyGenerated(in: "workos", at: countNode.location))
        }
        guard let domain = map["domain"] else { throw .seed(.workosSeedMissing("domain", at: node)) }
        var generator = Generator(count: count, domain: try string(domain, "domain"))
        if let groups = map["groups"] {
            if let pairs = groups.pairs {
                var shares: [(name: String, fraction: Double)] = []
                for pair in pairs {
                    guard let fraction = pair.value.double, (0...1).contains(fraction) else {
                        throw .seed(.workosSeedInvalid("groups", expected: "a fraction between 0 and 1", at: pair.value))
                    }
                    shares.append((try string(pair.key, "group name"), fraction))
                }
                generator.groups = .fractions(shares)
            } else {
                generator.groups = .roundRobin(try strings(groups, "groups"))
            }
        }
        if let inactive = map["inactive"] {
            guard let fraction = inactive.double, (0...1).contains(fraction) else {
                throw .seed(.workosSeedInvalid("inactive", expected: "a fraction between 0 and 1", at: inactive))
            }
            generator.inactive = fraction
        }
        return generator
    }

    // MARK: Shape helpers

    private static func mapping(_ node: Node, _ what: String) throws(SandboxError) -> Node {
        guard node.pairs != nil else { throw .seed(.workosSeedInvalid(what, expected: "a mapping", at: node)) }
        return node
    }

    private static func sequence(_ node: Node?, _ what: String) throws(SandboxError) -> [Node] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else { throw .seed(.workosSeedInvalid(what, expected: "a list", at: node)) }
        return items
    }

    private static func string(_ node: Node, _ what: String) throws(SandboxError) -> String {
        guard let text = node.string else { throw .seed(.workosSeedInvalid(what, expected: "a string", at: node)) }
        return text
    }

    private static func strings(_ node: Node?, _ what: String) throws(SandboxError) -> [String] {
        var result: [String] = []
        for item in try sequence(node, what) { result.append(try string(item, what)) }
        return result
    }
}

extension Diagnostic {
    /// A required key of the `workos:` seed section is absent.
    static func workosSeedMissing(_ key: String, at node: Node) -> Diagnostic {
        .error("seed-workos", "workos: missing `\(key)`", at: node.location)
    }

    /// A value of the `workos:` seed section has the wrong shape.
    static func workosSeedInvalid(_ key: String, expected: String, at node: Node) -> Diagnostic {
        .error("seed-workos", "workos: `\(key)` must be \(expected)", at: node.location)
    }
}
