import Foundation
import Sandbox
import Spec
import Testing

/// The surface loads the `workos:` section of real seed YAML, the default seed first of all.
@Suite struct WorkOSDefaultSeedTests {
    static func section(_ yaml: String) throws -> Node? {
        var diagnostics = Diagnostics()
        let root = YAMLLoader.load(Data(yaml.utf8), file: "seed.yaml", diagnostics: &diagnostics)
        #expect(!diagnostics.hasErrors, "\(diagnostics.all)")
        return try #require(root)["workos"]
    }

    @Test func loadsTheDefaultSeed() throws {
        let client = WorkOSClient(surface: try WorkOSSurface(seed: try Self.section(DefaultSeed.yaml)))
        let organizations = items(client.get("/organizations", [("order", "asc")]))
        #expect(organizations.compactMap { $0["external_id"] as? String } == ["pg", "northwind"])
        let directories = items(client.get("/directories", [("order", "asc")]))
        let counts = directories.map { ($0["metadata"] as? [String: Any])?["users"] as? [String: Int] }
        #expect(counts == [["active": 38, "inactive": 2], ["active": 20, "inactive": 0]])
        let ana = items(
            client.get("/directory_users", [("directory", directories[0]["id"] as! String), ("email", "ana.garcia@pg.com")]))
        #expect((ana.first?["groups"] as? [[String: Any]])?.first?["name"] as? String == "SG-Stoic-Learners")
        let connection = items(client.get("/connections", [("organization_id", organizations[0]["id"] as! String)])).first
        #expect(connection?["connection_type"] as? String == "PingFederateSAML")
        let patched = client.control("PATCH", "/directories/pg/users/ana.garcia@pg.com", body: ["state": "inactive"])
        #expect(patched?.status == 200)
    }

    @Test func loadsAGeneratorFromYAML() throws {
        let yaml = """
            workos:
              organizations:
                - name: Load
                  external_id: load
                  directories:
                    - name: Load
                      people:
                        - generate: { count: 300, domain: load.test, groups: [A, B, C], inactive: 0.1 }
            """
        let client = WorkOSClient(surface: try WorkOSSurface(seed: try Self.section(yaml)))
        let directory = items(client.get("/directories")).first!
        let groups = items(client.get("/directory_groups", [("directory", directory["id"] as! String), ("order", "asc")]))
        #expect(groups.compactMap { $0["name"] as? String } == ["A", "B", "C"])
        let inB = client.walk("/directory_users", [("group", groups[1]["id"] as! String), ("limit", "100")]).ids
        #expect(inB.count == 100)
        let users = (directory["metadata"] as? [String: Any])?["users"] as? [String: Int]
        #expect(users.map { $0["active"]! + $0["inactive"]! } == 300)
        #expect((10...50).contains(users?["inactive"] ?? 0))
    }

    @Test func pointsAtTheBadValueInYAML() throws {
        let yaml = """
            workos:
              organizations:
                - name: Load
                  directories:
                    - name: Load
                      people:
                        - generate: { count: lots, domain: load.test }
            """
        let section = try Self.section(yaml)
        #expect {
            _ = try WorkOSSurface(seed: section)
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.location?.line == 7 && diagnostic.location?.column == 34 && diagnostic.message.contains("count")
        }
    }
}
