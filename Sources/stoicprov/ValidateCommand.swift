enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "TODO"
    static let usage = "usage: stoicprov validate"

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        Console.err("stoicprov validate: not implemented yet")
        return .failure
    }
}
