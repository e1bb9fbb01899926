import Planner
import Testing

@testable import Apply

@Suite struct RunScheduleTests {
    /// A user, their enrollment (needs the user), and a later change that needs the enrollment.
    func chain() -> [Change] {
        let email = "ana@pg.com"
        let later = Change(
            id: "later", kind: .update,
            action: .updateThinkificUser(userID: 1, email: email, firstName: "A", lastName: "G"), reason: "test",
            dependsOn: ["thinkific/enroll/\(email)/c3"])
        return Array(personChanges(email).prefix(2)) + [later]
    }

    func singles(_ schedule: inout RunSchedule) -> [Int] {
        var started: [Int] = []
        while case .single(let index) = schedule.next(idle: started.isEmpty) { started.append(index) }
        return started
    }

    @Test func aChangeStartsOnlyOnceWhatItNeedsIsDone() {
        var schedule = RunSchedule(chain())
        #expect(singles(&schedule) == [0])
        #expect(schedule.finish(0, done: true).isEmpty)
        #expect(singles(&schedule) == [1])
        _ = schedule.finish(1, done: true)
        #expect(singles(&schedule) == [2])
        _ = schedule.finish(2, done: true)
        #expect(schedule.next(idle: true) == nil)
        #expect(schedule.unsettled.isEmpty)
    }

    @Test func aFailureSkipsEverythingDownstreamNamingTheCause() {
        var schedule = RunSchedule(chain())
        #expect(singles(&schedule) == [0])
        let skipped = schedule.finish(0, done: false)
        #expect(skipped.map(\.index) == [1, 2])
        #expect(
            skipped.map(\.reason) == [
                "depends on failed thinkific/user/ana@pg.com", "depends on skipped thinkific/enroll/ana@pg.com/c3",
            ])
        #expect(schedule.next(idle: true) == nil)
        #expect(schedule.unsettled.isEmpty)
    }

    @Test func aCycleIsLeftUnsettled() {
        let changes = [
            Change(
                id: "a", kind: .create, action: .createThinkificGroup(name: "A"), reason: "x",
                dependsOn: ["b"]),
            Change(
                id: "b", kind: .create, action: .createThinkificGroup(name: "B"), reason: "x",
                dependsOn: ["a"]),
        ]
        var schedule = RunSchedule(changes)
        #expect(schedule.next(idle: true) == nil)
        #expect(schedule.unsettled == [0, 1])
    }

    @Test func earlierStagesStartFirst() {
        let user = personChanges("bo@pg.com")[0]
        let group = Change(
            id: "thinkific/group/G", kind: .create, action: .createThinkificGroup(name: "G"),
            reason: "x")
        let expected = user.action.stage <= group.action.stage ? [1, 0] : [0, 1]
        var schedule = RunSchedule([group, user])
        #expect(singles(&schedule) == expected)
    }
}
