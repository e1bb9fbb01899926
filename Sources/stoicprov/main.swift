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
        ReconcileCommand.self,
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
    // glibc's malloc keeps freed memory for reuse; the 50,000-person plan frees a lot of it (the observation's pages
    // once planned) before its peak, which then sat in RSS (issue 12: peak RSS 351 → 282 MB, no slower):
    // one arena (M_ARENA_MAX -8: planning is one thread, network I/O beside it; an arena per thread kept ~40 MB),
    // blocks of 256 KB and more mapped and unmapped on their own (M_MMAP_THRESHOLD -3, fixed rather than growing to
    // 32 MB), and free memory above 1 MB at the top of the heap given back (M_TRIM_THRESHOLD -1).
    // `mallopt` is not in Swift's Glibc module, so it is looked up.
    if let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-8, 1)
        _ = mallopt(-3, 256 << 10)
        _ = mallopt(-1, 1 << 20)
    }
#endif
exit(runMain().rawValue)
