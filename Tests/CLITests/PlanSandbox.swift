import Foundation
import Planner
import Sandbox
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An in-process sandbox on a free loopback port for the `stoicprov plan` end-to-end tests, with the few HTTP calls
/// the tests make themselves: the control surface (stats, directory changes) and SCIM writes. Its clock is the one
/// `BinaryRunner` gives the binary (`SandboxProcess.pinnedNow`).
final class PlanSandbox {
    let server: SandboxServer
    let url: String

    init(seed: SandboxConfiguration.Seed = .standard, faults: FaultPlan = .none) throws {
        var configuration = SandboxConfiguration()
        configuration.seed = seed
        configuration.faults = faults
        configuration.clock = SandboxProcess.pinnedClock
        server = try SandboxServer(configuration)
        url = try server.start()
    }

    deinit { server.stop() }

    struct HTTPFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends one request and returns the status and the decoded JSON body (`nil` when empty).
    @discardableResult
    func request(
        _ method: String, _ path: String, json body: Any? = nil, headers: [String: String] = [:]
    ) async throws -> (status: Int, body: Any?) {
        var request = URLRequest(url: try #require(URL(string: url + path)))
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            if request.value(forHTTPHeaderField: "Content-Type") == nil {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let decoded = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
        guard (200..<300).contains(status) else {
            throw HTTPFailure(description: "\(method) \(path) → \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return (status, decoded)
    }

    /// Requests each surface served, from `GET /_sandbox/stats`.
    func requestsPerSurface() async throws -> [String: Int] {
        let stats = try #require(try await request("GET", "/_sandbox/stats").body as? [String: Any])
        let surfaces = try #require(stats["surfaces"] as? [String: [String: Any]])
        return surfaces.compactMapValues { $0["requests"] as? Int }
    }

    // MARK: - What an IdP pushes (docs/sandbox-workos.md, control routes)

    func changeDirectoryUser(_ email: String, in directory: String = "pg", _ changes: [String: Any]) async throws {
        try await request("PATCH", "/_sandbox/workos/directories/\(directory)/users/\(email)", json: changes)
    }

    func addDirectoryUser(in directory: String = "pg", _ user: [String: Any]) async throws {
        try await request("POST", "/_sandbox/workos/directories/\(directory)/users", json: user)
    }

    // MARK: - SCIM users as stoicprov made them (a seed's `users:` are accounts made before stoicprov)

    /// Creates `users` in `app` and the named groups with their members; returns the user ids by userName. Each user
    /// carries stoicprov's marker, as the ones it creates do (`SCIMMarker`).
    @discardableResult
    func createSCIM(app: String, users: [Person], groups: [String: [String]]) async throws -> [String: String] {
        let base = "/scim/\(app)/v2"
        let headers = [
            "Authorization": "Bearer " + SandboxDefaults.scimToken(app: app), "Content-Type": "application/scim+json",
        ]
        var ids: [String: String] = [:]
        for person in users {
            let body: [String: Any] = [
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": person.email,
                "name": ["givenName": person.firstName, "familyName": person.lastName], "active": true,
                "externalId": SCIMMarker.externalID(idpID: nil, userName: person.email),
                "emails": [["value": person.email, "type": "work", "primary": true]],
            ]
            let created = try await request("POST", base + "/Users", json: body, headers: headers)
            ids[person.email] = try #require((created.body as? [String: Any])?["id"] as? String)
        }
        for (name, members) in groups.sorted(by: { $0.key < $1.key }) {
            let body: [String: Any] = [
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name,
                "members": try members.map { ["value": try #require(ids[$0], "\($0) is not a user of \(app)")] },
            ]
            try await request("POST", base + "/Groups", json: body, headers: headers)
        }
        return ids
    }
}

/// A person of the converged P&G world.
struct Person: Hashable {
    var email: String
    var firstName: String
    var lastName: String
    var groups: [String] = []
    var isActive = true

    /// `ana.garcia` → Ana Garcia, ana.garcia@pg.com.
    init(_ local: String, groups: [String] = [], isActive: Bool = true) {
        let parts = local.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        email = local + "@pg.com"
        firstName = parts.first ?? local
        lastName = parts.dropFirst().joined(separator: " ")
        self.groups = groups
        self.isActive = isActive
    }

    init(email: String, firstName: String, lastName: String) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
    }
}

/// P&G as if `apply` had already run: its directory, and the Thinkific users, enrollments and group members and the
/// SCIM users and groups that `examples/tenants/pg.yaml` (with `program.ends` moved to `ends`) asks for. The first
/// plan of this world has no changes.
struct ConvergedPG {
    static let learnersGroup = "SG-Stoic-Learners"
    static let managersGroup = "SG-Stoic-Managers"

    var directory: [Person]
    var roster: [Person]
    /// The programme's last day, as `tenants/pg.yaml` says it (the tests move it out of the way of the clock).
    var ends: String

    /// 30 learners, 4 managers, one person in both groups, an inactive learner, one person in an unmapped group,
    /// plus `extraLearners` generated ones (`learner001@pg.com`, …); the roster is examples/rosters/pg-in-person.csv.
    init(extraLearners: Int = 0, ends: String = "2099-12-18") throws {
        let learners = [
            "ana.garcia", "ben.okafor", "chloe.martin", "diego.silva", "emma.novak", "farid.haddad", "grace.kim",
            "hiro.tanaka", "ines.moreau", "jonas.berg", "kofi.mensah", "lena.fischer", "mateo.rossi", "nadia.petrova",
            "omar.aziz", "priya.sharma", "quinn.walsh", "rosa.lopez", "sven.lund", "tara.reddy", "umar.khan",
            "vera.costa", "wei.chen", "ximena.ruiz", "yusuf.demir", "zoe.evans", "amir.said", "bea.lind", "cyrus.moss",
            "dana.frey",
        ]
        directory = learners.map { Person($0, groups: [Self.learnersGroup]) }
        directory += (0..<extraLearners).map {
            Person(String(format: "learner%03d.gen", $0 + 1), groups: [Self.learnersGroup])
        }
        directory.append(Person("aiko.sato", groups: [Self.learnersGroup], isActive: false))
        directory += ["carla.bianchi", "dmitri.ivanov", "elif.yilmaz", "felix.weber"].map {
            Person($0, groups: [Self.managersGroup])
        }
        directory.append(Person("ivy.nguyen", groups: [Self.learnersGroup, Self.managersGroup]))
        directory.append(Person("kira.jensen", groups: ["SG-Finance"]))

        let csv = try String(
            contentsOf: BinaryRunner.root.appendingPathComponent("examples/rosters/pg-in-person.csv"), encoding: .utf8)
        roster = csv.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let fields = line.split(separator: ",").map(String.init)
            return Person(email: fields[0], firstName: fields[1], lastName: fields[2])
        }
        self.ends = ends
    }

    var activeDirectory: [Person] { directory.filter(\.isActive) }
    var learners: [Person] {
        activeDirectory.filter { $0.groups.contains(Self.learnersGroup) } + roster
    }
    var managers: [Person] { activeDirectory.filter { $0.groups.contains(Self.managersGroup) } }
    /// Everyone entitled to anything: the Thinkific users of the tenant.
    var entitled: [Person] {
        var seen: Set<String> = []
        return (learners + managers).filter { seen.insert($0.email).inserted }
    }

    /// The seed: the default site's courses, P&G's directory, the Thinkific side converged, two empty SCIM apps.
    var seed: String {
        func flow(_ person: Person, _ extra: String = "") -> String {
            "{ email: \(person.email), first_name: \(quoted(person.firstName)), last_name: \(quoted(person.lastName))\(extra) }"
        }
        var lines = [
            "thinkific:",
            "  sites:",
            "    - subdomain: stoic",
            "      courses:",
            "        - { id: 101, name: Conscious Leadership Foundations, slug: conscious-leadership-foundations }",
            "        - { id: 102, name: Leading Teams, slug: leading-teams }",
            "        - { id: 103, name: The Resilient Self, slug: resilient-self }",
            "      groups:",
            "        - { name: \"P&G 2026\" }",
            "      users:",
        ]
        lines += entitled.map { "        - " + flow($0, ", groups: [\"P&G 2026\"]") }
        lines.append("      enrollments:")
        let dates = "activated_at: 2026-05-04T00:00:00Z, expiry_date: \(ends)T23:59:59Z"
        let managerEmails = Set(managers.map(\.email))
        for person in entitled {
            lines.append("        - { email: \(person.email), course_id: 101, \(dates) }")
            if managerEmails.contains(person.email) {
                lines.append("        - { email: \(person.email), course_id: 102, \(dates) }")
            }
        }
        lines += [
            "workos:",
            "  organizations:",
            "    - name: Procter & Gamble",
            "      external_id: pg",
            "      domains: [pg.com]",
            "      connections:",
            "        - { type: PingFederateSAML, name: P&G Ping Federate, state: active }",
            "      directories:",
            "        - name: P&G Ping Federate SCIM",
            "          groups: [\(Self.learnersGroup), \(Self.managersGroup), SG-Finance]",
            "          people:",
        ]
        for person in directory {
            let state = person.isActive ? "" : ", state: inactive"
            lines.append("            - " + flow(person, ", groups: [\(person.groups.joined(separator: ", "))]\(state)"))
        }
        lines += ["scim:", "  apps:", "    - { name: insights }", "    - { name: dashboard }"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Creates the converged SCIM side: insights has everyone (groups learners, managers), dashboard the managers.
    func createSCIM(in sandbox: PlanSandbox) async throws {
        try await sandbox.createSCIM(
            app: "insights", users: entitled,
            groups: ["learners": learners.map(\.email), "managers": managers.map(\.email)])
        try await sandbox.createSCIM(app: "dashboard", users: managers, groups: ["managers": managers.map(\.email)])
    }

    /// A copy of `examples/` whose P&G programme ends on `ends`, so the enrollments stay unexpired whatever the date.
    func workspace() throws -> URL {
        let copy = try Scratch.examples("stoicprov-plan", only: ["stoicprov.yaml", "tenants", "rosters"])
        let tenant = copy.appendingPathComponent("tenants/pg.yaml")
        let text = try String(contentsOf: tenant, encoding: .utf8)
        let moved = text.replacingOccurrences(of: "ends: 2026-12-18", with: "ends: \(ends)")
        #expect(moved != text, "tenants/pg.yaml no longer says ends: 2026-12-18")
        try moved.write(to: tenant, atomically: true, encoding: .utf8)
        return copy
    }
}

private func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
