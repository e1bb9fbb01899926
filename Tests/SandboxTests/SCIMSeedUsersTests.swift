import Foundation
import Sandbox
import Spec
import Testing

/// A SCIM app's seeded accounts (`users:`, `generate:`): people the app had before stoicprov arrived.
@Suite struct SCIMSeedUsersTests {
    static func surface(_ yaml: String) throws -> SCIMSurface {
        var diagnostics = Diagnostics()
        let node = try #require(YAMLLoader.load(Data(yaml.utf8), file: "seed.yml", diagnostics: &diagnostics))
        return try SCIMSurface(seed: node["scim"], clock: { SCIMTestClient.pinnedDate })
    }

    static let seed = """
        scim:
          apps:
            - name: insights
              users:
                - { userName: zoe@pg.com, externalId: okta-1, givenName: Zoe, familyName: Hand, groups: [learners] }
                - { userName: yan@pg.com, active: false }
              generate: { count: 3, domain: pg.com, groups: [learners, everyone] }
            - { name: dashboard }
        """

    @Test func seededUsersAndTheirGroupsAreServedAndComeBackAfterAReset() throws {
        let surface = try Self.surface(Self.seed)
        let client = SCIMTestClient(surface: surface)
        for _ in 0..<2 {
            let users = client.send("GET", "/Users", query: [("sortBy", "userName")])
            #expect(users.status == 200)
            #expect(
                Set(users.userNames) == [
                    "zoe@pg.com", "yan@pg.com", "person0001@pg.com", "person0002@pg.com", "person0003@pg.com",
                ])
            let zoe = users.resources.first { $0["userName"] as? String == "zoe@pg.com" }
            #expect(zoe?["externalId"] as? String == "okta-1")
            #expect(users.resources.first { $0["userName"] as? String == "yan@pg.com" }?["active"] as? Bool == false)
            let groups = client.send("GET", "/Groups").resources
            let learners = groups.first { $0["displayName"] as? String == "learners" }
            #expect((learners?["members"] as? [[String: Any]])?.count == 4)
            #expect(groups.count == 2)
            #expect(SCIMTestClient(surface: surface, app: "dashboard").send("GET", "/Users").userNames.isEmpty)
            surface.reset()
        }
    }

    @Test(arguments: [
        "users: [{ userName: a@pg.com, nickname: x }]",
        "users: [{ userName: a@pg.com }, { userName: A@pg.com }]",
        "generate: { count: -1, domain: pg.com }",
        "generate: { count: 2 }",
        "users: [{ userName: a@pg.com, active: maybe }]",
    ])
    func shapeErrorsPointAtTheSeed(entry: String) {
        let yaml = "scim:\n  apps:\n    - name: insights\n      \(entry)\n"
        #expect {
            _ = try Self.surface(yaml)
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.code == "sandbox-seed" && (diagnostic.location?.line ?? 0) >= 3
        }
    }
}

extension SCIMTestClient {
    init(surface: SCIMSurface, app: String = "insights") {
        self.surface = surface
        self.app = app
    }
}
