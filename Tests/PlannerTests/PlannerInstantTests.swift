import Foundation
import Testing

@testable import Planner

/// The hand-written date handling the planner uses for enrollment dates.
@Suite struct PlannerInstantTests {
    @Test(arguments: [
        ("2026-12-18T23:59:59Z", 1_797_638_399),
        ("2026-12-18T23:59:59.000Z", 1_797_638_399),
        ("2026-12-18T23:59:59.123456Z", 1_797_638_399),
        ("2026-12-19T01:59:59+02:00", 1_797_638_399),
        ("2026-12-18T18:59:59-0500", 1_797_638_399),
        ("2026-12-18", 1_797_552_000),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func parses(text: String, seconds: Int) {
        #expect(Instant(parsing: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "2026-13-01", "2026-12-18T23:59", "2026-12-18T23:59:59Q", "20261218", "2026-12-18T23:59:59Zjunk"])
    func rejects(text: String) {
        #expect(Instant(parsing: text) == nil)
    }

    @Test func formatsWhatFoundationAgreesWith() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0, -1, 951_782_400, 1_795_000_000, 1_797_638_399, 4_102_444_800] {
            let instant = Instant(seconds: seconds)
            #expect(instant.iso == formatter.string(from: Date(timeIntervalSince1970: Double(seconds))))
            #expect(Instant(parsing: instant.iso) == instant)
        }
    }
}
