import Foundation
import Sandbox
import Spec
import Testing

/// Checks responses against WorkOS's own OpenAPI file (a copy in `Tests/Fixtures/contracts/`): every key a schema
/// (and every nested inline schema) marks `required` is present. A local walker until the shared
/// `TestSupport/OpenAPIRequiredFields.swift` lands.
@Suite struct WorkOSOpenAPITests {
    static let spec: Node? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../Fixtures/contracts/workos-openapi.yaml")
        guard let data = try? Data(contentsOf: url) else { return nil }
        var limits = YAMLLimits()
        limits.maxNodes = 10_000_000
        limits.maxFileBytes = 16 * 1024 * 1024
        var diagnostics = Diagnostics()
        return YAMLLoader.load(data, file: url.path, limits: limits, diagnostics: &diagnostics)
    }()

    let client = WorkOSClient(surface: WorkOSFixture.surface())

    /// Missing required keys of `value` under `schema`, as dotted paths.
    static func missing(_ value: Any, schema: Node, root: Node, path: String = "$") -> [String] {
        if let ref = schema["$ref"]?.string {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = root["components"]?["schemas"]?[name] else { return ["\(path): unresolved \(ref)"] }
            return missing(value, schema: target, root: root, path: path)
        }
        var problems: [String] = []
        for part in schema["allOf"]?.items ?? [] { problems += missing(value, schema: part, root: root, path: path) }
        // Event schemas are a `oneOf` told apart by the `event` constant.
        if let event = (value as? [String: Any])?["event"] as? String,
            let match = schema["oneOf"]?.items?.first(where: { $0["properties"]?["event"]?["const"]?.string == event })
        {
            problems += missing(value, schema: match, root: root, path: path)
        }
        if let object = value as? [String: Any] {
            for key in schema["required"]?.items?.compactMap(\.string) ?? [] where object[key] == nil {
                problems.append("\(path).\(key)")
            }
            for pair in schema["properties"]?.pairs ?? [] {
                guard let key = pair.key.string, let child = object[key], !(child is NSNull) else { continue }
                problems += missing(child, schema: pair.value, root: root, path: "\(path).\(key)")
            }
        } else if let array = value as? [Any], let items = schema["items"] {
            for (offset, item) in array.enumerated() {
                problems += missing(item, schema: items, root: root, path: "\(path)[\(offset)]")
            }
        }
        return problems
    }

    func check(_ response: HTTPResponse, against name: String) throws {
        let root = try #require(Self.spec, "cannot load the WorkOS OpenAPI file")
        let schema = try #require(root["components"]?["schemas"]?[name], "no schema \(name)")
        let body = try JSONSerialization.jsonObject(with: response.body)
        #expect(
            Self.missing(body, schema: schema, root: root).isEmpty, "\(name): \(Self.missing(body, schema: schema, root: root))")
    }

    @Test func listsAndObjectsCarryEverySpecRequiredField() throws {
        let organization = json(client.get("/organizations/external_id/pg"))["id"] as! String
        let directory = items(client.get("/directories", [("organization_id", organization)])).first!["id"] as! String
        let user = items(client.get("/directory_users", [("directory", directory)])).first!["id"] as! String
        let group = items(client.get("/directory_groups", [("directory", directory)])).first!["id"] as! String
        let connection = items(client.get("/connections")).first!["id"] as! String

        try check(client.get("/organizations"), against: "OrganizationList")
        try check(client.get("/organizations/\(organization)"), against: "Organization")
        try check(client.get("/connections"), against: "ConnectionList")
        try check(client.get("/connections/\(connection)"), against: "Connection")
        try check(client.get("/directories"), against: "DirectoryList")
        try check(client.get("/directories/\(directory)"), against: "Directory")
        try check(client.get("/directory_users", [("directory", directory)]), against: "DirectoryUserList")
        try check(client.get("/directory_users/\(user)"), against: "DirectoryUserWithGroups")
        try check(client.get("/directory_groups", [("directory", directory)]), against: "DirectoryGroupList")
        try check(client.get("/directory_groups/\(group)"), against: "DirectoryGroup")
        try check(
            client.request("POST", "/portal/generate_link", body: ["organization": organization]), against: "PortalLinkResponse")
        _ = client.request("POST", "/organizations", body: ["name": "Initech", "domains": ["initech.com"]])
        _ = client.control(
            "PATCH", "/directories/pg/users/ana.garcia@pg.com", body: ["groups": ["SG-Finance"], "last_name": "G"])
        _ = client.control("POST", "/directories/pg/users", body: ["email": "new@pg.com", "groups": ["New Group"]])
        _ = client.control("DELETE", "/directories/pg/users/new@pg.com")
        let events = client.get("/events", [("limit", "100")])
        #expect(items(events).count == 8)
        try check(events, against: "EventList")
    }

    @Test func theWalkerNoticesAMissingField() throws {
        let event =
            ["object": "event", "id": "event_1", "event": "dsync.user.created", "created_at": "x", "data": [:]] as [String: Any]
        let list = ["object": "list", "data": [event], "list_metadata": ["after": NSNull()]] as [String: Any]
        let root = try #require(Self.spec)
        let schema = try #require(root["components"]?["schemas"]?["EventList"])
        #expect(Self.missing(list, schema: schema, root: root).contains("$.data[0].data.idp_id"))

        let organizationSchema = try #require(root["components"]?["schemas"]?["Organization"])
        var organization = json(client.get("/organizations/external_id/pg"))
        organization["external_id"] = nil
        #expect(Self.missing(organization, schema: organizationSchema, root: root) == ["$.external_id"])
    }
}
