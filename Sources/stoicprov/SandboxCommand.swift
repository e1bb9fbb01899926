enum SandboxCommand: Command {
    static let name = "sandbox"
    static let summary = "TODO"
    static let usage = "usage: stoicprov sandbox"

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        Console.err("stoicprov sandbox: not implemented yet")
        return .failure
    }
}
