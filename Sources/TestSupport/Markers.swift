import Foundation
import Spec

/// Test input with swift-format style position markers (`1️⃣` … `9️⃣`) written where a finding must point.
///
/// `MarkedText("name: 1️⃣bad")` strips the markers: `.text` is `"name: bad"` and `.locations["1️⃣"]` is line 1,
/// column 7 — 1-based, columns counted in Unicode scalars like `SourceLocation`.
public struct MarkedText: Sendable {
    /// The input with every marker removed.
    public let text: String
    /// Where each marker stood in `text`.
    public let locations: [String: (line: Int, column: Int)]

    public init(_ marked: String) {
        var text = String.UnicodeScalarView()
        var locations: [String: (line: Int, column: Int)] = [:]
        var line = 1
        var column = 1
        let scalars = Array(marked.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if index + 2 < scalars.count, ("1"..."9").contains(scalar), scalars[index + 1] == "\u{FE0F}",
                scalars[index + 2] == "\u{20E3}"
            {
                locations[String(String.UnicodeScalarView([scalar, "\u{FE0F}", "\u{20E3}"]))] = (line, column)
                index += 3
                continue
            }
            text.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        self.text = String(text)
        self.locations = locations
    }

    /// The text as UTF-8 bytes, ready for a loader.
    public var data: Data { Data(text.utf8) }

    /// The 1-based line of `marker`, or `nil` if the input had no such marker.
    public func line(_ marker: String) -> Int? { locations[marker]?.line }

    /// The 1-based column (in Unicode scalars) of `marker`, or `nil` if the input had no such marker.
    public func column(_ marker: String) -> Int? { locations[marker]?.column }

    /// The marker's position as a `SourceLocation` in `file`.
    public func location(_ marker: String, file: String) -> SourceLocation? {
        guard let (line, column) = locations[marker] else { return nil }
        return SourceLocation(file: file, line: line, column: column)
    }
}
