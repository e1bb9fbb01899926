import Foundation
import Sandbox
import Spec
import TestSupport

/// Drives a `WorkOSSurface` directly, the way the router would after stripping `/workos`.
struct WorkOSClient {
    let surface: WorkOSSurface
    var key = SandboxDefaults.workosAPIKey

    func request(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [], body: Any? = nil,
        headers: [(name: String, value: String)] = []
    ) -> HTTPResponse {
        var fields = headers
        if !key.isEmpty { fields.append(("Authorization", "Bearer \(key)")) }
        let data = body.map { try! JSONSerialization.data(withJSONObject: $0) } ?? Data()
        return surface.handle(
            HTTPRequest(method: method, path: path, query: query, headers: HTTPHeaders(fields), body: data), path: path)
    }

    func get(_ path: String, _ query: [(name: String, value: String)] = []) -> HTTPResponse {
        request("GET", path, query: query)
    }

    func control(_ method: String, _ path: String, body: Any? = nil) -> HTTPResponse? {
        let data = body.map { try! JSONSerialization.data(withJSONObject: $0) } ?? Data()
        return surface.handleControl(HTTPRequest(method: method, path: path, body: data), path: path)
    }

    /// Every page of a list, following `list_metadata.after` as the SDKs do (or `before` when `backward`).
    func walk(
        _ path: String, _ query: [(name: String, value: String)], backward: Bool = false, start: String? = nil
    ) -> (ids: [String], requests: Int) {
        var ids: [String] = []
        var cursor = start
        var requests = 0
        while true {
            var items = query
            if let cursor { items.append((backward ? "before" : "after", cursor)) }
            let page = json(get(path, items))
            requests += 1
            let data = page["data"] as! [[String: Any]]
            ids += data.map { $0["id"] as! String }
            let metadata = page["list_metadata"] as! [String: Any]
            guard let next = metadata[backward ? "before" : "after"] as? String, !data.isEmpty, requests < 10_000 else {
                return (ids, requests)
            }
            cursor = next
        }
    }
}

func json(_ response: HTTPResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
}

func items(_ response: HTTPResponse) -> [[String: Any]] {
    json(response)["data"] as? [[String: Any]] ?? []
}

/// A fixed clock that tests can move forward.
enum WorkOSFixture {
    /// Two organizations like the default seed, plus a generated 1,000-person directory.
    static var seed: WorkOSSeed {
        WorkOSSeed(organizations: [
            .init(
                name: "Procter & Gamble", externalID: "pg", domains: ["pg.com"],
                connections: [.init(type: "PingFederateSAML", name: "P&G Ping Federate")],
                directories: [
                    .init(
                        name: "P&G Ping Federate SCIM", groups: ["SG-Stoic-Learners", "SG-Stoic-Managers", "SG-Finance"],
                        people: [
                            .init(
                                email: "ana.garcia@pg.com", firstName: "Ana", lastName: "Garcia", groups: ["SG-Stoic-Learners"]),
                            .init(
                                email: "ben.okafor@pg.com", firstName: "Ben", lastName: "Okafor", groups: ["SG-Stoic-Learners"]),
                            .init(
                                email: "ivy.nguyen@pg.com", firstName: "Ivy", lastName: "Nguyen",
                                groups: ["SG-Stoic-Learners", "SG-Stoic-Managers"]),
                            .init(
                                email: "aiko.sato@pg.com", firstName: "Aiko", lastName: "Sato", groups: ["SG-Stoic-Learners"],
                                isActive: false),
                            .init(email: "kira.jensen@pg.com", firstName: "Kira", lastName: "Jensen", groups: ["SG-Finance"]),
                        ])
                ]),
            .init(
                name: "Northwind Traders", externalID: "northwind", domains: ["northwind.com", "northwind.example"],
                connections: [
                    .init(type: "OktaSAML", name: "Northwind Okta"),
                    .init(type: "GitHubOAuth", name: "Northwind GitHub", state: "inactive"),
                ],
                directories: [.init(name: "Northwind Okta", type: "okta scim v2.0", groups: ["Stoic Participants"])]),
            .init(
                name: "Globex", externalID: "globex", domains: ["globex.com"],
                directories: [
                    .init(
                        name: "Globex Workday", type: "workday",
                        generators: [
                            .init(
                                count: 1000, domain: "globex.com",
                                groups: .fractions([("Learners", 0.5), ("Managers", 0.1)]), inactive: 0.05)
                        ])
                ]),
        ])
    }

    static func surface(clock: MovableClock = clock()) -> WorkOSSurface {
        WorkOSSurface(seed, clock: clock.function)
    }

    /// The clock the WorkOS tests start at.
    static func clock() -> MovableClock {
        MovableClock(at: Date(timeIntervalSince1970: 1_780_000_000))
    }
}

// MARK: - Seed nodes built in Swift (until the YAML loader lands)

enum SeedNode {
    case text(String)
    case list([SeedNode])
    case map([(String, SeedNode)])

    func node(line: Int = 1) -> Node {
        let location = SourceLocation(file: "seed.yaml", line: line, column: 3)
        switch self {
        case .text(let text): return Node(.scalar(Scalar(text)), at: location)
        case .list(let items): return Node(.sequence(items.enumerated().map { $1.node(line: line + $0 + 1) }), at: location)
        case .map(let pairs):
            return Node(
                .mapping(pairs.map { Pair(key: Node(.scalar(Scalar($0.0)), at: location), value: $0.1.node(line: line + 1)) }),
                at: location)
        }
    }
}
