import Foundation
import Sandbox
import Spec
import Testing

/// Issue 9, class 11: a seed cannot make the sandbox allocate without bound or overflow an id.
@Suite struct SeedLimitTests {
    private func surfaces(_ yaml: String) throws -> [any Surface] {
        let root = try SandboxSeed.parse(Data(yaml.utf8), name: "seed.yaml")
        return try SandboxServer.standardSurfaces(seed: root)
    }

    private func seedError(_ yaml: String) -> Diagnostic? {
        do {
            _ = try surfaces(yaml)
            return nil
        } catch {
            guard case .seed(let diagnostic) = error as? SandboxError else { return nil }
            return diagnostic
        }
    }

    private func thinkific(_ site: String) -> String {
        "thinkific:\n  sites:\n" + site
    }

    @Test func aBillionGeneratedThinkificPeopleIsASeedError() {
        let error = seedError(thinkific("    - subdomain: big\n      generate: { count: 1000000000, domain: big.example }\n"))
        #expect(error?.code == "seed-shape")
        #expect(error?.location?.line == 4)
    }

    @Test func theThinkificLimitCountsEverySite() {
        let site = { (name: String) in "    - subdomain: \(name)\n      generate: { count: 600000, domain: \(name).example }\n" }
        let error = seedError(thinkific(site("one") + site("two")))
        #expect(error?.code == "seed-too-large")
    }

    @Test func aBillionGeneratedWorkOSPeopleIsASeedError() {
        let yaml = """
            workos:
              organizations:
                - name: Big
                  directories:
                    - name: Dir
                      people:
                        - generate: { count: 1000000000, domain: big.example }
            """
        #expect(seedError(yaml)?.code == "seed-too-large")
    }

    @Test func theWorkOSLimitCountsEveryDirectory() {
        let directory = { (name: String) in
            "        - name: \(name)\n          people:\n            - generate: { count: 700000, domain: \(name).example }\n"
        }
        let yaml = "workos:\n  organizations:\n    - name: Big\n      directories:\n" + directory("a") + directory("b")
        let error = seedError(yaml)
        #expect(error?.code == "seed-too-large")
        #expect(error?.location?.line == 10)  // the count that goes over
    }

    @Test(arguments: [
        "      courses: [{ id: 9223372036854775807, name: C, slug: c }]\n",
        "      users: [{ id: 9223372036854775807, email: a@b.co, first_name: A, last_name: B }]\n",
        "      groups: [{ id: 1000000000000000, name: G }]\n",
    ])
    func idsBeyondTheLimitAreSeedErrors(entry: String) {
        let error = seedError(thinkific("    - subdomain: ids\n" + entry))
        #expect(error?.code == "seed-shape")
        #expect(error?.message.contains("at most") == true)
    }

    @Test func idsAtTheLimitAreServed() throws {
        let yaml = thinkific(
            "    - subdomain: ids\n      courses: [{ id: \(SandboxLimits.seedID), name: C, slug: c }]\n"
                + "      users: [{ id: \(SandboxLimits.seedID), email: a@b.co, first_name: A, last_name: B }]\n"
                + "      generate: { count: 3, domain: ids.example }\n")
        let thinkific = try #require(try surfaces(yaml).first)
        var headers = HTTPHeaders()
        headers.add("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey)
        headers.add("X-Auth-Subdomain", "ids")
        let path = "/api/public/v1/users"
        let response = thinkific.handle(HTTPRequest(method: "GET", path: path, headers: headers), path: path)
        #expect(response.status == 200)
        let body = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        #expect((body?["items"] as? [Any])?.count == 4)
    }
}
