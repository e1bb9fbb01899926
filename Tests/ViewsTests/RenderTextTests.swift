import Foundation
import Planner
import TestSupport
import Testing
import Views

@Suite struct RenderTextTests {
    @Test func threeTenants() {
        assertSnapshot(PlanRenderer.text(RenderFixtures.threeTenants, color: false), named: "text-three-tenants")
    }

    @Test func threeTenantsInColour() {
        let text = PlanRenderer.text(RenderFixtures.threeTenants, color: true)
        assertSnapshot(text, named: "text-three-tenants-color")
        #expect(text.contains("\u{1B}[32m+\u{1B}[0m create user ana@pg.com"))
        #expect(text.contains("\u{1B}[31m-\u{1B}[0m expire carla@pg.com in leading-teams"))
    }

    @Test func withoutColourThereAreNoEscapes() {
        #expect(!PlanRenderer.text(RenderFixtures.threeTenants, color: false).contains("\u{1B}"))
    }

    @Test func noChanges() {
        let text = PlanRenderer.text(RenderFixtures.noChanges, color: false)
        assertSnapshot(text, named: "text-no-changes")
        #expect(text.hasPrefix("No changes. The live systems match the workspace.\n"))
    }

    @Test func seatsExceeded() {
        assertSnapshot(PlanRenderer.text(RenderFixtures.seatsExceeded, color: false), named: "text-seats-exceeded")
    }
}

@Suite struct RenderTextSafetyTests {
    @Test(arguments: [false, true])
    func controlCharactersFromNamesAreNotPrinted(color: Bool) {
        var tenant = RenderFixtures.contoso
        tenant.changes = [
            Change(
                id: "g", kind: .create, action: .createThinkificGroup(name: "x\u{1B}[2Jy\nz"),
                reason: "r\u{7}")
        ]
        let text = PlanRenderer.text(
            Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [tenant]), color: color)
        #expect(text.contains("create Thinkific group \"x?[2Jy z\" (r?)"))
        #expect(!text.contains("\u{7}"))
    }
}
