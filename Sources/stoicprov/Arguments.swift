import Spec

/// A small, strict command-line parser: `--flag`, `--option value`, `--option=value`, positionals.
/// Unknown options are usage errors (exit 64) with a one-line hint.
struct Arguments {
    struct UsageError: Error {
        var message: String
    }

    private(set) var positionals: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Parses `arguments` against the options and flags a command accepts (names without `--`).
    init(_ arguments: [String], options knownOptions: Set<String>, flags knownFlags: Set<String>) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if !onlyPositionals, argument.hasPrefix("-"), argument != "-" {
                    throw UsageError(message: "unknown option '\(argument)'")
                }
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if knownFlags.contains(name) {
                guard inlineValue == nil else { throw UsageError(message: "'--\(name)' takes no value") }
                flags.insert(name)
            } else if knownOptions.contains(name) {
                if let inlineValue {
                    options[name, default: []].append(inlineValue)
                } else if index < arguments.count {
                    options[name, default: []].append(arguments[index])
                    index += 1
                } else {
                    throw UsageError(message: "'--\(name)' needs a value")
                }
            } else {
                let known = knownFlags.union(knownOptions).map { "--" + $0 }
                let hint = Suggestion.closest(to: "--" + name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                throw UsageError(message: "unknown option '--\(name)'\(hint)")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The last value given for an option.
    func option(_ name: String) -> String? { options[name]?.last }

    /// Every value given for a repeatable option.
    func options(_ name: String) -> [String] { options[name] ?? [] }

    func intOption(_ name: String) throws(UsageError) -> Int? {
        guard let text = option(name) else { return nil }
        guard let value = Int(text) else { throw UsageError(message: "'--\(name)' needs a whole number, not '\(text)'") }
        return value
    }

    /// The option's value as one of `cases` (matched by raw value); `nil` when the option is not given.
    func choice<Value: RawRepresentable>(_ name: String, of cases: [Value]) throws(UsageError) -> Value?
    where Value.RawValue == String {
        guard option(name) != nil else { return nil }
        let raw = try choice(name, of: cases.map(\.rawValue), default: "")
        return cases.first { $0.rawValue == raw }
    }

    func choice(_ name: String, of allowed: [String], default defaultValue: String) throws(UsageError) -> String {
        guard let value = option(name) else { return defaultValue }
        guard allowed.contains(value) else {
            throw UsageError(message: "'--\(name)' must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
        }
        return value
    }
}
