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
