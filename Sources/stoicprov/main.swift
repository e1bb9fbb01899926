import Foundation
import Spec

/// A subcommand: copies flags into options, calls one library entry point, maps the result to an exit code.
protocol Command: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var usage: String { get }
    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode
}

enum Commands {
    static let all: [any Command.Type] = [
        ValidateCommand.self,
        SchemaCommand.self,
        PlanCommand.self,
        ApplyCommand.self,
        SandboxCommand.self,
        ShowCommand.self,
        NewCommand.self,
        DescribeCommand.self,
        ImportCommand.self,
        DemoCommand.self,
    ]
}

func mainUsage() -> String {
    var text = "usage: stoicprov <command> [options]\n\ncommands:\n"
    for command in Commands.all {
        text += "  " + command.name.padding(toLength: 10, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\nRun 'stoicprov <command> --help' for a command's options."
    return text
}

func runMain() -> ExitCode {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let first = arguments.first else {
        Console.err(mainUsage())
        return .usage
    }
    if first == "--help" || first == "-h" || first == "help" {
        Console.out(mainUsage())
        return .success
    }
    guard let command = Commands.all.first(where: { $0.name == first }) else {
        let hint = Suggestion.closest(to: first, in: Commands.all.map { $0.name }).map { " (did you mean '\($0)'?)" } ?? ""
        Console.err("stoicprov: unknown command '\(first)'\(hint); see 'stoicprov --help'")
        return .usage
    }
    let rest = Array(arguments.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
        Console.out(command.usage)
        return .success
    }
    do {
        return try command.run(rest)
    } catch {
        Console.err("stoicprov \(command.name): \(error.message); see 'stoicprov \(command.name) --help'")
        return .usage
    }
}

Console.ignoreBrokenPipes()
#if canImport(Glibc)
    // One malloc arena: stoicprov plans on one thread, with network I/O beside it. glibc's default of an arena per
    // thread kept ~40 MB of freed memory of the 50,000-person plan out of reach (peak RSS 351 → 312 MB; issue 12).
    // `mallopt` is not in Swift's Glibc module, so it is looked up; M_ARENA_MAX is -8 in <malloc.h>.
    if let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 1)
    }
#endif
exit(runMain().rawValue)
