import Foundation
import Planner
import Testing
import Views

/// The pseudonym tags that tell people apart in the comment (`Ana G. · a…@pg.com #3f2c`): HMAC-SHA256 against the
/// RFC 4231 vectors, tags distinct between people who share a masked address, and stable for a person across plans.
@Suite struct PseudonymTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func hmacMatchesRFC4231() {
        // Test case 1.
        #expect(
            Self.hex(Pseudonym(key: [UInt8](repeating: 0x0b, count: 20)).mac(Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2: a key shorter than the block.
        #expect(
            Self.hex(Pseudonym(key: Array("Jefe".utf8)).mac(Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block is hashed first.
        #expect(
            Self.hex(
                Pseudonym(key: [UInt8](repeating: 0xaa, count: 131))
                    .mac(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// 20,000 people whose address masks to `a…@pg.com`: far more than four hex digits can keep apart by chance, so
    /// colliding tags must grow until every one differs.
    @Test func peopleSharingAnInitialAndDomainNeverShareATag() {
        let pseudonym = Pseudonym(key: Array("workspace secret".utf8))
        let emails = (0..<20_000).map { "a\($0)@pg.com" }
        let tags = pseudonym.tags(for: emails)
        #expect(tags.count == emails.count)
        #expect(Set(tags.values).count == emails.count, "two people render the same tag")
        #expect(tags.values.allSatisfy { $0.count >= 4 })
        #expect(tags.values.contains { $0.count > 4 }, "at this size some four-digit prefixes collide and grow")
        // A longer tag still starts with the person's usual four digits.
        for email in emails.prefix(500) { #expect(pseudonym.digest(email: email).hasPrefix(tags[email]!)) }
    }

    @Test func theSamePersonHasTheSameTagInTwoPlans() {
        let pseudonym = Pseudonym(key: Array("workspace secret".utf8))
        let first = plan(["ana.garcia@pg.com", "anna.gomez@pg.com", "ben@pg.com"]).pseudonymised(with: pseudonym)
        let second = plan(["ana.garcia@pg.com", "carla@pg.com"]).pseudonymised(with: pseudonym)
        let tag = { (plan: Plan, email: String) in plan.tenants[0].summary?.people.first { $0.email == email }?.tag }
        #expect(tag(first, "ana.garcia@pg.com") != nil)
        #expect(tag(first, "ana.garcia@pg.com") == tag(second, "ana.garcia@pg.com"))
        #expect(tag(first, "ana.garcia@pg.com") != tag(first, "anna.gomez@pg.com"))
        // Rendered: same initial and domain, told apart by the tag.
        let comment = PlanRenderer.markdown(first)
        let ana = "`a…@pg.com #\(tag(first, "ana.garcia@pg.com")!)`"
        let anna = "`a…@pg.com #\(tag(first, "anna.gomez@pg.com")!)`"
        #expect(comment.contains("Ana G. · \(ana)") && comment.contains("Anna G. · \(anna)") && ana != anna)
        // Another key gives other tags: a reader without the key cannot compute them.
        let other = plan(["ana.garcia@pg.com"]).pseudonymised(with: Pseudonym(key: Array("another".utf8)))
        #expect(tag(other, "ana.garcia@pg.com") != tag(first, "ana.garcia@pg.com"))
    }

    /// A plan where each of `emails` gains a course.
    func plan(_ emails: [String]) -> Plan {
        let names = ["ana.garcia@pg.com": ("Ana", "Garcia"), "anna.gomez@pg.com": ("Anna", "Gomez")]
        var tenant = TenantPlan(
            tenant: "pg", name: "P&G",
            changes: emails.map { email in
                let name = names[email] ?? ("", "")
                return Change(
                    id: "thinkific/user/\(email)", kind: .create,
                    action: .createThinkificUser(email: email, firstName: name.0, lastName: name.1),
                    reason: "joined SG-Stoic-Learners")
            }, seats: SeatUsage(entitled: emails.count, licensed: 10),
            removalGuard: RemovalGuard(removals: 0, provisioned: 0, threshold: 1))
        tenant.summary = AccessSummary(tenant)
        return Plan(createdAt: RenderFixtures.createdAt, workspaceDigest: "", tenants: [tenant])
    }
}
