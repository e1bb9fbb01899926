import Planner
import Testing

@Suite struct RenderDescriptionTests {
    @Test(arguments: [
        (
            Action.createThinkificUser(email: "ana@pg.com", firstName: "Ana", lastName: "Garcia"),
            "create user ana@pg.com (Ana Garcia)", "create user a…@pg.com"
        ),
        (
            .enroll(
                email: "ana@pg.com", userID: nil, courseSlug: "conscious-leadership-foundations", courseID: 101,
                activatedAt: "2026-05-04", expiryDate: "2026-12-18"),
            "enroll ana@pg.com in conscious-leadership-foundations until 2026-12-18",
            "enroll a…@pg.com in conscious-leadership-foundations until 2026-12-18"
        ),
        (
            .enroll(
                email: "ana@pg.com", userID: 3, courseSlug: "leading-teams", courseID: 102, activatedAt: "2026-05-04",
                expiryDate: nil),
            "enroll ana@pg.com in leading-teams", "enroll a…@pg.com in leading-teams"
        ),
        (
            .updateEnrollment(
                email: "ana@pg.com", enrollmentID: 1, courseSlug: "conscious-leadership-foundations", activatedAt: nil,
                expiryDate: "2026-12-18", previousExpiry: "2026-06-30"),
            "extend ana@pg.com in conscious-leadership-foundations: expiry 2026-06-30 → 2026-12-18",
            "extend a…@pg.com in conscious-leadership-foundations: expiry 2026-06-30 → 2026-12-18"
        ),
        (
            .updateEnrollment(
                email: "ana@pg.com", enrollmentID: 1, courseSlug: "leading-teams", activatedAt: "2026-05-04",
                expiryDate: "2026-09-30", previousExpiry: "2026-12-18"),
            "shorten ana@pg.com in leading-teams: activated 2026-05-04, expiry 2026-12-18 → 2026-09-30",
            "shorten a…@pg.com in leading-teams: activated 2026-05-04, expiry 2026-12-18 → 2026-09-30"
        ),
        (
            .expireEnrollment(email: "ana@pg.com", enrollmentID: 1, courseSlug: "leading-teams", expiryDate: "2026-11-18"),
            "expire ana@pg.com in leading-teams", "expire a…@pg.com in leading-teams"
        ),
        (
            .addToThinkificGroups(email: "ana@pg.com", userID: nil, groups: ["P&G 2026"]),
            #"add ana@pg.com to Thinkific groups "P&G 2026""#, #"add a…@pg.com to Thinkific groups "P&G 2026""#
        ),
        (
            .createOrganization(externalID: "pg", name: "Procter & Gamble", domains: ["pg.com"]),
            "create organization pg (Procter & Gamble; pg.com)", "create organization pg (Procter & Gamble; pg.com)"
        ),
        (
            .deactivateSCIMUser(app: "insights", userID: "u-1", userName: "ana@pg.com"), "deactivate ana@pg.com",
            "deactivate a…@pg.com"
        ),
        (
            .addSCIMMember(app: "insights", group: "managers", groupID: nil, userName: "ana@pg.com", userID: nil),
            "add ana@pg.com to group managers", "add a…@pg.com to group managers"
        ),
        (
            .removeSCIMMember(app: "insights", group: "managers", groupID: "g", userName: "ana@pg.com", userID: "u"),
            "remove ana@pg.com from group managers", "remove a…@pg.com from group managers"
        ),
    ])
    func description(action: Action, plain: String, masked: String) {
        #expect(action.description == plain)
        #expect(action.description(maskingEmails: true) == masked)
    }

    @Test(arguments: [
        ("ana@pg.com", "a…@pg.com"),
        ("a@pg.com", "a…@pg.com"),
        ("@pg.com", "…@pg.com"),
        ("Émilie.Durand@pg.fr", "É…@pg.fr"),
        ("\"ana@home\"@pg.com", "\"…@pg.com"),
        ("ana.maría+stoic@sub.pg.com", "a…@sub.pg.com"),
        ("ana", "a…"),
        ("", ""),
        ("🙂@pg.com", "🙂…@pg.com"),
    ])
    func masking(email: String, masked: String) {
        #expect(EmailMask.mask(email) == masked)
    }

    @Test func maskingInFreeText() {
        #expect(
            EmailMask.maskEmails(in: "remove ana@pg.com from \"P&G\"; ask (ben@pg.com), then carla@pg.com.")
                == "remove a…@pg.com from \"P&G\"; ask (b…@pg.com), then c…@pg.com.")
        #expect(EmailMask.maskEmails(in: "no address @ here, nor at@") == "no address @ here, nor at@")
    }
}
