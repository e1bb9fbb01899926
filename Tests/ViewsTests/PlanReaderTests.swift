import Foundation
import Testing

@testable import Planner

/// Issue 12: a saved plan is read in pieces (`PlanReader`), never as one JSON tree, with the same result and errors.
@Suite struct PlanReaderTests {
    @Test(arguments: [1, 7, 4096])
    func piecesOfAnySizeGiveThePlanBack(size: Int) throws {
        let data = PlanFile.json(RenderFixtures.threeTenants)
        var reader = PlanReader()
        var offset = 0
        while offset < data.count {
            reader.feed(data.subdata(in: offset..<min(data.count, offset + size)))
            offset += size
        }
        #expect(try reader.finish() == RenderFixtures.threeTenants)
    }

    @Test func compactJSONWithStringsThatLookLikeStructureIsRead() throws {
        var plan = RenderFixtures.threeTenants
        plan.tenants[0].changes[0].reason = #"left "changes", [tenants] {x}: \ done"#
        let compact = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: PlanFile.json(plan)), options: [])
        #expect(try Plan.decode(from: compact) == plan)
    }

    @Test func anElementThatIsNotAChangeIsReportedWithItsPath() throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: PlanFile.json(RenderFixtures.threeTenants)) as? [String: Any])
        var tenants = try #require(object["tenants"] as? [[String: Any]])
        var changes = try #require(tenants[1]["changes"] as? [Any])
        changes.insert(12, at: 1)
        tenants[1]["changes"] = changes
        object["tenants"] = tenants
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PlanFormatError.invalid(path: "tenants[1].changes[1]", reason: "expected an object")) {
            try Plan.decode(from: data)
        }
    }

    @Test func manyChangesAreReadInBatchesAndAnErrorKeepsItsIndex() throws {
        var plan = RenderFixtures.threeTenants
        let enroll = plan.tenants[0].changes[2]
        plan.tenants[0].changes = (0..<600).map { index in
            var change = enroll
            change.id += "/\(index)"
            return change
        }
        #expect(try Plan.decode(from: PlanFile.json(plan)) == plan)

        var object = try #require(try JSONSerialization.jsonObject(with: PlanFile.json(plan)) as? [String: Any])
        var tenants = try #require(object["tenants"] as? [[String: Any]])
        var changes = try #require(tenants[0]["changes"] as? [[String: Any]])
        var action = try #require(changes[300]["action"] as? [String: Any])
        action["course_id"] = "101"
        changes[300]["action"] = action
        tenants[0]["changes"] = changes
        object["tenants"] = tenants
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PlanFormatError.invalid(path: "tenants[0].changes[300].action.course_id", reason: "expected a number")) {
            try Plan.decode(from: data)
        }
    }

    @Test func aTruncatedPlanIsNotJSON() {
        let data = PlanFile.json(RenderFixtures.threeTenants)
        #expect(throws: PlanFormatError.notJSON) { try Plan.decode(from: data.prefix(data.count / 2)) }
    }

    /// The saved form names each change's destination; it must be where the change's action goes.
    @Test func aDestinationOtherThanTheActionsIsRefused() throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: PlanFile.json(RenderFixtures.threeTenants)) as? [String: Any])
        var tenants = try #require(object["tenants"] as? [[String: Any]])
        var changes = try #require(tenants[0]["changes"] as? [[String: Any]])
        let index = try #require(changes.firstIndex { $0["destination"] as? String == "thinkific" })
        changes[index]["destination"] = "insights"
        tenants[0]["changes"] = changes
        object["tenants"] = tenants
        let data = try JSONSerialization.data(withJSONObject: object)
        let error = #expect(throws: PlanFormatError.self) { try Plan.decode(from: data) }
        #expect(
            "\(String(describing: error))".contains("tenants[0].changes[\(index)].destination"), "\(String(describing: error))")
    }
}
