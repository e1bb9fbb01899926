import Apply
import Foundation
import Live
import Planner
import Spec

/// Which clock `stoicprov demo` runs on. Its story — a person leaves an IdP group and their enrollment is expired —
/// needs the scenario tenant's programme to be running, so on a day outside it (after the example programmes have
/// ended, or given as `STOICPROV_NOW`) the demo sets its clock to a day inside it instead, and says so. Pure: the
/// command reads the date and the workspace, and builds the clock.
public enum DemoClock: Sendable, Equatable {
    /// Run on the day given (the real clock, or `STOICPROV_NOW`): the programme is running then.
    case today
    /// Run on a clock starting at `instant`, because `tenant`'s `program` is not running on the day given.
    case pinned(at: Date, tenant: String, program: Program)

    /// The day the example workspace was written for: every example programme is running.
    public static let reference = Date(timeIntervalSince1970: 1_795_780_800)  // 2026-11-27T12:00:00Z

    /// Time the demo needs before the programme ends: it plans and applies a few times in a few seconds.
    public static let margin: TimeInterval = 3600

    /// The clock for a demo of `workspace` on `today`: `today` while `tenant`'s programme runs (and for a workspace
    /// without that tenant, which has no story to protect), else `reference`, else noon on the programme's first day.
    public static func choose(
        today: Date, workspace: Workspace?, tenant: String = DemoDirectoryChange.example.tenant
    ) -> DemoClock {
        guard let program = workspace?.tenant(id: tenant)?.program, !isRunning(program, at: today) else { return .today }
        let instant = isRunning(program, at: reference) ? reference : program.startInstant.date.addingTimeInterval(43_200)
        return .pinned(at: instant, tenant: tenant, program: program)
    }

    /// Whether `program` has started at `instant` and ends no sooner than `margin` after it (it ends at 23:59:59 UTC
    /// of `ends`, as the enrollments' expiry does).
    public static func isRunning(_ program: Program, at instant: Date) -> Bool {
        program.startInstant.date <= instant && instant.addingTimeInterval(margin) <= program.endInstant.date
    }

    /// The narrated line for a pinned clock (`nil` for `.today`); `source` names where `today` came from when it was
    /// not the real clock (`STOICPROV_NOW`).
    public func narration(today: Date, source: String? = nil) -> String? {
        guard case .pinned(let instant, let tenant, let program) = self else { return nil }
        let given = source.map { " (\($0))" } ?? ""
        return "\(tenant)'s programme (\(program.starts) to \(program.ends)) is not running on \(Self.day(today))\(given), "
            + "so the demo's clock is set to \(Self.day(instant)), when it is."
    }

    /// `2026-11-27`, in UTC.
    static func day(_ date: Date) -> String {
        Instant(date).day.description
    }
}
