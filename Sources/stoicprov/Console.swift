import Foundation
import Live

/// The one place that writes to stdout and stderr.
///
/// Every byte goes through `SecretScrubber` first: a resolved secret that reached a message anyhow (a server that
/// echoes credentials) is shown as `<redacted>`.
///
/// Writes go through `write(2)`: when the reader has gone (`stoicprov plan | head`), the rest of the output is
/// dropped quietly instead of the process dying of `SIGPIPE` or Foundation's exception on `EPIPE`.
enum Console {
    static func out(_ text: String) {
        writeLine(text, to: STDOUT_FILENO)
    }

    /// Writes bytes to stdout as they are, no newline added: a large JSON plan, streamed in pieces.
    static func out(bytes data: Data) {
        write(data, to: STDOUT_FILENO)
    }

    static func err(_ text: String) {
        writeLine(text, to: STDERR_FILENO)
    }

    /// Called once at start-up: a closed pipe becomes an `EPIPE` error that the writes ignore.
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    private static func writeLine(_ text: String, to descriptor: Int32) {
        var text = text
        if !text.hasSuffix("\n") { text += "\n" }
        write(Data(text.utf8), to: descriptor)
    }

    private static func write(_ data: Data, to descriptor: Int32) {
        SecretScrubber.scrub(data).withUnsafeBytes { buffer in
            guard var pointer = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = Glibc.write(descriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // EPIPE and the like: nobody is reading any more.
                }
                pointer += written
                remaining -= written
            }
        }
    }

    /// Redraws the one progress line on stderr when stderr is a terminal (`nil` clears it); silent otherwise, so
    /// logs and CI output never fill with carriage returns.
    static func progress(_ line: String?) {
        guard isatty(STDERR_FILENO) != 0 else { return }
        write(Data(("\r\u{1B}[2K" + (line ?? "")).utf8), to: STDERR_FILENO)
    }

    /// Reads one line from stdin when it is a terminal; `nil` when it is not (nobody to ask) or at end of input.
    static func ask(_ prompt: String) -> String? {
        guard isatty(STDIN_FILENO) != 0 else { return nil }
        write(Data(prompt.utf8), to: STDERR_FILENO)
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
