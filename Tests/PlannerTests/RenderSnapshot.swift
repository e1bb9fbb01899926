import Foundation
import Testing

/// Compares `actual` with `Tests/PlannerTests/Snapshots/<name>.txt`. A missing golden is written and the test fails;
/// with `STOICPROV_RECORD=1` every golden is rewritten and the test still fails once, so no fresh golden passes
/// unreviewed. (Private stand-in for TestSupport's `assertSnapshot` until that is merged.)
func expectSnapshot(
    _ actual: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent(name + ".txt")
    let recording = ProcessInfo.processInfo.environment["STOICPROV_RECORD"] == "1"
    guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name).txt; review it and run again", sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = actual.components(separatedBy: "\n")
    let index =
        zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expectedLines.count, actualLines.count)
    let want = index < expectedLines.count ? expectedLines[index] : "<end>"
    let got = index < actualLines.count ? actualLines[index] : "<end>"
    Issue.record(
        "snapshot \(name).txt differs at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)",
        sourceLocation: sourceLocation)
}
