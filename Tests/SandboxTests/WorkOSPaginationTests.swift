import Foundation
import Sandbox
import Testing

@Suite struct WorkOSPaginationTests {
    let client = WorkOSClient(surface: WorkOSFixture.surface())

    var directory: String {
        let globex = json(client.get("/organizations/external_id/globex"))["id"] as! String
        return items(client.get("/directories", [("organization_id", globex)])).first!["id"] as! String
    }

    @Test func walksAThousandPeopleForwardInEveryOrder() {
        let directory = directory
        let desc = client.walk("/directory_users", [("directory", directory), ("limit", "100")])
        #expect(desc.ids.count == 1000)
        #expect(Set(desc.ids).count == 1000)
        #expect(desc.ids == desc.ids.sorted(by: >))
        #expect(desc.requests == 10)

        let asc = client.walk("/directory_users", [("directory", directory), ("limit", "37"), ("order", "asc")])
        #expect(asc.ids == desc.ids.reversed())
    }

    @Test func walksBackwardFromTheLastPage() {
        let directory = directory
        let forward = client.walk("/directory_users", [("directory", directory), ("limit", "100")]).ids
        // From past the oldest person, `before` pages back towards the newest.
        let backward = client.walk(
            "/directory_users", [("directory", directory), ("limit", "30")], backward: true, start: forward.last)
        #expect(backward.ids.count == 999)
        #expect(Set(backward.ids + [forward.last!]).count == 1000)
        #expect(Set(backward.ids) == Set(forward.dropLast()))
    }

    @Test func pagesAreContiguousAcrossCursors() {
        let directory = directory
        let first = json(client.get("/directory_users", [("directory", directory), ("limit", "10")]))
        let firstMeta = first["list_metadata"] as! [String: Any]
        #expect(firstMeta["before"] is NSNull)
        let after = firstMeta["after"] as! String
        let second = json(client.get("/directory_users", [("directory", directory), ("limit", "10"), ("after", after)]))
        let secondIDs = (second["data"] as! [[String: Any]]).map { $0["id"] as! String }
        let before = (second["list_metadata"] as! [String: Any])["before"] as! String
        #expect(before == secondIDs.first)
        let back = items(client.get("/directory_users", [("directory", directory), ("limit", "10"), ("before", before)]))
        #expect(back.map { $0["id"] as! String } == (first["data"] as! [[String: Any]]).map { $0["id"] as! String })
    }

    @Test func normalOrderShowsNewestFirstWithReversedCursors() {
        let directory = directory
        let desc = items(client.get("/directory_users", [("directory", directory), ("limit", "5")])).map { $0["id"] as! String }
        let page = json(client.get("/directory_users", [("directory", directory), ("limit", "5"), ("order", "normal")]))
        #expect((page["data"] as! [[String: Any]]).map { $0["id"] as! String } == desc)
        let metadata = page["list_metadata"] as! [String: Any]
        #expect(metadata["after"] is NSNull)
        let older = items(
            client.get(
                "/directory_users",
                [("directory", directory), ("limit", "5"), ("order", "normal"), ("before", metadata["before"] as! String)]))
        #expect(older.count == 5)
        #expect(older.allSatisfy { ($0["id"] as! String) < desc.last! })
    }

    @Test func groupListingPagesOverMembersOnly() {
        let directory = directory
        let groups = items(client.get("/directory_groups", [("directory", directory)]))
        let learners = groups.first { $0["name"] as? String == "Learners" }!["id"] as! String
        let managers = groups.first { $0["name"] as? String == "Managers" }!["id"] as! String
        let inLearners = client.walk("/directory_users", [("group", learners), ("limit", "100")]).ids
        let inManagers = client.walk("/directory_users", [("group", managers), ("limit", "100")]).ids
        // The generator spreads 50% and 10% deterministically; allow sampling slack, not exact counts.
        #expect((400...600).contains(inLearners.count))
        #expect((50...150).contains(inManagers.count))
        #expect(Set(inLearners).count == inLearners.count)
        let sample = json(client.get("/directory_users/\(inManagers[0])"))
        #expect((sample["groups"] as? [[String: Any]])?.contains { $0["name"] as? String == "Managers" } == true)
    }

    @Test func generatorIsDeterministic() {
        let other = WorkOSClient(surface: WorkOSFixture.surface())
        let query: [(name: String, value: String)] = [("directory", directory), ("limit", "100"), ("order", "asc")]
        let mine = items(client.get("/directory_users", query)).map { "\($0["email"]!) \($0["state"]!)" }
        let theirs = items(other.get("/directory_users", query)).map { "\($0["email"]!) \($0["state"]!)" }
        #expect(mine == theirs)
        #expect(mine.first?.hasPrefix("person00001@globex.com") == true)
    }

    @Test func seedsFiftyThousandPeople() {
        let seed = WorkOSSeed(organizations: [
            .init(
                name: "Load", externalID: "load", domains: ["load.test"],
                directories: [
                    .init(
                        name: "Load", generators: [.init(count: 50_000, domain: "load.test", groups: .roundRobin(["A", "B"]))])
                ])
        ])
        let client = WorkOSClient(surface: WorkOSSurface(seed))
        let directory = items(client.get("/directories")).first!
        let metadata = directory["metadata"] as! [String: Any]
        #expect((metadata["users"] as? [String: Int])?["active"] == 50_000)
        let last = items(client.get("/directory_users", [("directory", directory["id"] as! String), ("limit", "1")]))
        #expect(last.first?["email"] as? String == "person50000@load.test")
        // Deep in the list, a cursor page starts right after its cursor (the full walk is for the benchmark).
        let query: [(name: String, value: String)] = [
            ("directory", directory["id"] as! String), ("limit", "100"), ("order", "asc"),
        ]
        let pastTheEnd = items(client.get("/directory_users", query + [("after", last.first!["id"] as! String)]))
        #expect(pastTheEnd.isEmpty)
        let start = items(client.get("/directory_users", query)).last!["id"] as! String
        let next = items(client.get("/directory_users", query + [("after", start)]))
        #expect(next.first?["email"] as? String == "person00101@load.test")
        #expect(next.last?["email"] as? String == "person00200@load.test")
    }
}
