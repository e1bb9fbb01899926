enum SchemaCommand: Command {
    static let name = "schema"
    static let summary = "TODO"
    static let usage = "usage: stoicprov schema"

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        Console.err("stoicprov schema: not implemented yet")
        return .failure
    }
}
