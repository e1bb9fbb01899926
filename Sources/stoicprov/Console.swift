import Foundation

/// The one place that writes to stdout and stderr.
enum Console {
    static func out(_ text: String) {
        write(text, to: FileHandle.standardOutput)
    }

    /// Writes bytes to stdout as they are, no newline added: a large JSON plan, streamed in pieces.
    static func out(bytes data: Data) {
        FileHandle.standardOutput.write(data)
    }

    static func err(_ text: String) {
        write(text, to: FileHandle.standardError)
    }

    private static func write(_ text: String, to handle: FileHandle) {
        var text = text
        if !text.hasSuffix("\n") { text += "\n" }
        handle.write(Data(text.utf8))
    }

    /// Redraws the one progress line on stderr when stderr is a terminal (`nil` clears it); silent otherwise, so
    /// logs and CI output never fill with carriage returns.
    static func progress(_ line: String?) {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + (line ?? "")).utf8))
    }

    /// Reads one line from stdin when it is a terminal; `nil` when it is not (nobody to ask) or at end of input.
    static func ask(_ prompt: String) -> String? {
        guard isatty(STDIN_FILENO) != 0 else { return nil }
        FileHandle.standardError.write(Data(prompt.utf8))
        return readLine()
    }

    /// Whether colour may be used on stderr/stdout: a terminal, and `NO_COLOR` unset.
    static var useColor: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) != 0
    }
}

/// Process exit codes used by every command.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case changesPresent = 2
    case usage = 64
}
