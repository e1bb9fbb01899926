import Foundation
import Sandbox
import Spec
import Testing

/// Every object carries what the spec and both official SDKs require (contracts/workos.md §5, "rule of thumb").
/// Required lists are written out from the spec's `components.schemas` until the OpenAPI checker lands.
@Suite struct WorkOSShapeTests {
    let client = WorkOSClient(surface: WorkOSFixture.surface())

    static let required: [String: [String]] = [
        "organization": [
            "object", "id", "name", "domains", "metadata", "external_id", "created_at", "updated_at",
            "allow_profiles_outside_organization",
        ],
        "organization_domain": ["object", "id", "organization_id", "domain", "state", "created_at", "updated_at"],
        "connection": [
            "object", "id", "organization_id", "connection_type", "name", "state", "status", "domains", "created_at",
            "updated_at",
        ],
        "connection_domain": ["object", "id", "domain"],
        "directory": [
            "object", "id", "organization_id", "external_key", "type", "state", "name", "created_at", "updated_at", "metadata",
        ],
        "directory_user": [
            "object", "id", "directory_id", "organization_id", "idp_id", "email", "state", "emails", "raw_attributes",
            "custom_attributes", "groups", "created_at", "updated_at",
        ],
        "directory_group": [
            "object", "id", "idp_id", "directory_id", "organization_id", "name", "raw_attributes", "created_at", "updated_at",
        ],
        "event": ["object", "id", "event", "data", "created_at"],
    ]

    /// Keys that may be JSON null; everything else required must be present and non-null.
    static let nullable: Set = ["external_id"]

    func check(_ object: [String: Any], as kind: String, _ where_: String) {
        #expect(object["object"] as? String == kind, "\(where_): object")
        for key in Self.required[kind] ?? [] {
            #expect(object[key] != nil, "\(where_): \(kind) lacks \(key)")
            if !Self.nullable.contains(key) { #expect(!(object[key] is NSNull), "\(where_): \(kind).\(key) is null") }
        }
        for key in ["created_at", "updated_at"] {
            if let stamp = object[key] as? String {
                #expect(stamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(where_): \(key) \(stamp)")
            }
        }
        if let id = object["id"] as? String {
            #expect(id.wholeMatch(of: /[a-z_]+_[0-9A-HJKMNP-TV-Z]{26}/) != nil, "\(where_): id \(id)")
        }
        switch kind {
        case "organization":
            #expect(object["allow_profiles_outside_organization"] as? Bool == false)
            #expect(object["metadata"] is [String: Any])
            for domain in object["domains"] as? [[String: Any]] ?? [] { check(domain, as: "organization_domain", where_) }
        case "connection":
            #expect(object["status"] as? String == "linked" || object["status"] as? String == "unlinked")
            for domain in object["domains"] as? [[String: Any]] ?? [] { check(domain, as: "connection_domain", where_) }
        case "directory_user":
            #expect(["active", "inactive"].contains(object["state"] as? String))
            let emails = object["emails"] as? [[String: Any]] ?? []
            #expect(emails.first?["primary"] as? Bool == true && emails.first?["value"] as? String == object["email"] as? String)
            for group in object["groups"] as? [[String: Any]] ?? [] { check(group, as: "directory_group", where_) }
        case "directory":
            let metadata = object["metadata"] as? [String: Any]
            #expect((metadata?["users"] as? [String: Any])?["active"] is Int && metadata?["groups"] is Int)
        default: break
        }
    }

    func list(
        _ path: String, _ query: [(name: String, value: String)], kind: String, allowEmpty: Bool = false
    )
        -> [[String: Any]]
    {
        let page = json(client.get(path, query))
        #expect(page["object"] as? String == "list", "\(path)")
        let metadata = page["list_metadata"] as? [String: Any]
        #expect(metadata?["after"] != nil, "\(path): list_metadata.after")
        if path != "/events" { #expect(metadata?["before"] != nil, "\(path): list_metadata.before") }
        let data = page["data"] as? [[String: Any]] ?? []
        #expect(allowEmpty || !data.isEmpty, "\(path) returned nothing to check")
        for object in data { check(object, as: kind, path) }
        return data
    }

    @Test func everyListedObjectHasTheRequiredFields() {
        _ = client.request(
            "POST", "/organizations", body: ["name": "Initech", "domain_data": [["domain": "initech.com", "state": "verified"]]])
        _ = client.control("PATCH", "/directories/pg/users/ana.garcia@pg.com", body: ["groups": ["SG-Finance"]])
        let organizations = list("/organizations", [("limit", "100")], kind: "organization")
        _ = list("/connections", [], kind: "connection")
        let directories = list("/directories", [], kind: "directory")
        #expect(directories.count == 3)
        for directory in directories {
            let id = directory["id"] as! String
            let users = list(
                "/directory_users", [("directory", id), ("limit", "100")], kind: "directory_user", allowEmpty: true)
            _ = list("/directory_groups", [("directory", id)], kind: "directory_group")
            if let user = users.first?["id"] as? String {
                check(json(client.get("/directory_users/\(user)")), as: "directory_user", "get user")
            }
            check(json(client.get("/directories/\(id)")), as: "directory", "get directory")
        }
        check(json(client.get("/organizations/\(organizations[0]["id"] as! String)")), as: "organization", "get org")
        let events = list("/events", [("limit", "100")], kind: "event")
        for event in events {
            let data = event["data"] as? [String: Any] ?? [:]
            switch event["event"] as? String {
            case "organization.created": check(data, as: "organization", "event data")
            case "dsync.group.user_added", "dsync.group.user_removed":
                check(data["user"] as? [String: Any] ?? [:], as: "directory_user", "event user")
                check(data["group"] as? [String: Any] ?? [:], as: "directory_group", "event group")
                #expect(data["directory_id"] is String)
            default: break
            }
        }
    }

    @Test func writesBooleansNumbersAndEscapesAsJSON() {
        _ = client.request("POST", "/organizations", body: ["name": "Quote \"Q\" \\ Co\n", "external_id": "q"])
        let text = String(decoding: client.get("/organizations/external_id/q").body, as: UTF8.self)
        #expect(text.contains(#""allow_profiles_outside_organization":false"#))
        #expect(text.contains(#""name":"Quote \"Q\" \\ Co\n""#))
        #expect(json(client.get("/organizations/external_id/q"))["name"] as? String == "Quote \"Q\" \\ Co\n")
        let directories = String(decoding: client.get("/directories", [("search", "SCIM")]).body, as: UTF8.self)
        #expect(directories.contains(#""groups":3"#))
        #expect(directories.contains(#""users":{"active":4,"inactive":1}"#))
    }

    @Test func errorsCarryMessageAndCode() {
        for response in [
            client.get("/organizations/org_missing"), client.get("/directory_users"),
            client.request("POST", "/organizations", body: ["name": "x", "external_id": "pg"]),
        ] {
            let body = json(response)
            #expect(body["message"] is String && body["code"] is String, "\(response.status)")
            #expect(response.headers["Content-Type"]?.contains("application/json") == true)
        }
    }
}

@Suite struct WorkOSSeedTests {
    static let node = SeedNode.map([
        ("api_key", .text("sk_test_custom")),
        (
            "organizations",
            .list([
                .map([
                    ("name", .text("Procter & Gamble")), ("external_id", .text("pg")), ("domains", .list([.text("pg.com")])),
                    (
                        "connections",
                        .list([.map([("type", .text("PingFederateSAML")), ("name", .text("Ping")), ("state", .text("active"))])])
                    ),
                    (
                        "directories",
                        .list([
                            .map([
                                ("name", .text("SCIM")), ("type", .text("generic scim v2.0")),
                                ("groups", .list([.text("Learners")])),
                                (
                                    "people",
                                    .list([
                                        .map([
                                            ("email", .text("ana@pg.com")), ("first_name", .text("Ana")),
                                            ("last_name", .text("Garcia")), ("groups", .list([.text("Learners")])),
                                            ("state", .text("inactive")),
                                        ]),
                                        .map([
                                            (
                                                "generate",
                                                .map([
                                                    ("count", .text("20")), ("domain", .text("pg.com")),
                                                    ("groups", .map([("Learners", .text("0.5"))])), ("inactive", .text("0.1")),
                                                ])
                                            )
                                        ]),
                                    ])
                                ),
                            ])
                        ])
                    ),
                ])
            ])
        ),
    ])

    @Test func loadsTheSeedSectionFromNodes() throws {
        let surface = try WorkOSSurface(seed: Self.node.node())
        var client = WorkOSClient(surface: surface)
        #expect(client.get("/organizations").status == 401)
        client.key = "sk_test_custom"
        let organization = json(client.get("/organizations/external_id/pg"))
        #expect(organization["name"] as? String == "Procter & Gamble")
        let directory = items(client.get("/directories")).first!
        let users = client.walk("/directory_users", [("directory", directory["id"] as! String)]).ids
        #expect(users.count == 21)
        let ana = items(client.get("/directory_users", [("directory", directory["id"] as! String), ("email", "ana@pg.com")]))
        #expect(ana.first?["state"] as? String == "inactive")
        #expect(items(client.get("/connections")).first?["connection_type"] as? String == "PingFederateSAML")
    }

    @Test func noSeedMeansNoOrganizationsAndTheDefaultKey() throws {
        let client = WorkOSClient(surface: try WorkOSSurface(seed: nil))
        #expect(client.get("/organizations").status == 200)
        #expect(items(client.get("/organizations")).isEmpty)
    }

    @Test func reportsShapeErrorsWithTheirLocation() {
        let bad = SeedNode.map([("organizations", .list([.map([("external_id", .text("pg"))])]))])
        #expect {
            _ = try WorkOSSurface(seed: bad.node(line: 7))
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.message.contains("name") && diagnostic.location?.line == 9
        }
        let badCount = SeedNode.map([
            (
                "organizations",
                .list([
                    .map([
                        ("name", .text("X")),
                        (
                            "directories",
                            .list([
                                .map([
                                    ("name", .text("D")),
                                    (
                                        "people",
                                        .list([
                                            .map([("generate", .map([("count", .text("many")), ("domain", .text("x.com"))]))])
                                        ])
                                    ),
                                ])
                            ])
                        ),
                    ])
                ])
            )
        ])
        #expect {
            _ = try WorkOSSurface(seed: badCount.node())
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.message.contains("count")
        }
    }
}
