import Foundation
import Testing

/// Compares `actual` with the golden file `<named>.txt` and records a Swift Testing issue with a short diff when
/// they differ.
///
/// The golden lives in `directory`, by default `Tests/<Target>/Snapshots/` found from the calling test file's
/// `#filePath`. With `STOICPROV_RECORD=1` in the environment (or `record: true`) the file is rewritten and the
/// assertion still fails once, so a fresh golden never passes silently: review it, then run again.
public func assertSnapshot(
    _ actual: String,
    named name: String,
    in directory: URL? = nil,
    record: Bool = ProcessInfo.processInfo.environment["STOICPROV_RECORD"] == "1",
    filePath: StaticString = #filePath,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let directory = directory ?? snapshotDirectory(forTestFile: "\(filePath)")
    let url = directory.appendingPathComponent(name + ".txt")
    if record {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            Issue.record(
                "Recorded snapshot \(url.path); review it and run again without STOICPROV_RECORD",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not write snapshot \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record(
            "No snapshot at \(url.path); run with STOICPROV_RECORD=1 to record it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    guard expected != actual else { return }
    Issue.record(
        "Snapshot \(name) differs (- golden, + actual):\n\(shortDiff(expected: expected, actual: actual))",
        sourceLocation: sourceLocation)
}

/// `Tests/<Target>/Snapshots` for a test file anywhere under `Tests/<Target>/`.
func snapshotDirectory(forTestFile path: String) -> URL {
    var directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    let start = directory
    while directory.pathComponents.count > 1 {
        if directory.deletingLastPathComponent().lastPathComponent == "Tests" {
            return directory.appendingPathComponent("Snapshots")
        }
        directory = directory.deletingLastPathComponent()
    }
    return start.appendingPathComponent("Snapshots")
}

/// A line diff limited to the changed lines (at most `limit` of them), with `-`/`+` prefixes and line numbers.
public func shortDiff(expected: String, actual: String, limit: Int = 20) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var changes: [String] = []
    // Longest common subsequence table, from the end, so the walk below goes forwards.
    guard old.count * new.count <= 4_000_000 else {
        return "(\(old.count) vs \(new.count) lines; too large to diff)"
    }
    var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
        for j in stride(from: new.count - 1, through: 0, by: -1) {
            table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
        }
    }
    var i = 0
    var j = 0
    while i < old.count || j < new.count {
        if i < old.count, j < new.count, old[i] == new[j] {
            i += 1
            j += 1
        } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
            changes.append("-\(i + 1): \(visible(old[i]))")
            i += 1
        } else {
            changes.append("+\(j + 1): \(visible(new[j]))")
            j += 1
        }
    }
    if changes.count > limit {
        changes = Array(changes.prefix(limit)) + ["… \(changes.count - limit) more changed lines"]
    }
    return changes.joined(separator: "\n")
}

/// Shows trailing whitespace and carriage returns, which otherwise make a diff line look unchanged.
private func visible(_ line: Substring) -> String {
    var text = String(line)
    if text.hasSuffix("\r") { text = String(text.dropLast()) + "␍" }
    if let last = text.last, last == " " || last == "\t" { text += "⏎" }
    return text
}
