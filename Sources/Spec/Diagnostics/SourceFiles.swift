import Foundation

/// The text of the files that were loaded, by the path diagnostics name them with, so a renderer can show the
/// offending source line. Whoever loads a file adds it; a file that is missing here just gets no snippet.
public struct SourceFiles: Sendable {
    private var lines: [String: [Substring]] = [:]

    public init() {}

    public init(_ texts: [String: String]) {
        for (path, text) in texts { add(text, for: path) }
    }

    /// Records the text of `path`. A leading byte order mark is dropped so columns match the loaders'.
    public mutating func add(_ text: String, for path: String) {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
        // Split on scalars: as a `Character`, "\r\n" is one grapheme and would not match "\n".
        lines[path] = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Substring(line.last == "\r" ? line.dropLast() : line)
        }
    }

    /// Records the bytes of `path` as loaded; invalid UTF-8 shows as U+FFFD in snippets.
    public mutating func add(_ data: Data, for path: String) {
        add(String(decoding: data, as: UTF8.self), for: path)
    }

    /// The 1-based `line` of `path` without its line break, or `nil` if the file or line is unknown.
    public func line(_ line: Int, in path: String) -> Substring? {
        guard let fileLines = lines[path], line >= 1, line <= fileLines.count else { return nil }
        return fileLines[line - 1]
    }
}
