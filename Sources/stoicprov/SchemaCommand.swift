import Foundation
import Spec

/// `stoicprov schema`: the JSON Schema of tenant files or `stoicprov.yaml`, printed or written to a directory.
enum SchemaCommand: Command {
    static let name = "schema"
    static let summary = "print the JSON Schema of spec files, for editors"
    static let usage = """
        usage: stoicprov schema [--kind tenant|config] [--format json|markdown] [--out DIR]

        Prints the JSON Schema (draft 2020-12) of tenant files (--kind tenant, the default) or of stoicprov.yaml
        (--kind config); --format markdown prints the table of keys instead (as in docs/spec.md).
        With --out DIR, writes tenant.schema.json and stoicprov.schema.json (or just --kind's) there.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let arguments = try Arguments(arguments, options: ["kind", "format", "out"], flags: [])
        guard arguments.positionals.isEmpty else { throw .init(message: "unexpected argument '\(arguments.positionals[0])'") }
        let kind = try arguments.choice("kind", of: JSONSchema.Kind.allCases) ?? .tenant
        if try arguments.choice("format", of: ["json", "markdown"], default: "json") == "markdown" {
            guard arguments.option("out") == nil else { throw .init(message: "--out writes JSON only; drop --format") }
            Console.out(SpecReference.table(for: kind))
            return .success
        }
        guard let directory = arguments.option("out") else {
            Console.out(JSONSchema.text(for: kind))
            return .success
        }
        let kinds = arguments.option("kind") == nil ? JSONSchema.Kind.allCases : [kind]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for kind in kinds {
                let path = (directory as NSString).appendingPathComponent(kind.fileName)
                try Data(JSONSchema.text(for: kind).utf8).write(to: URL(fileURLWithPath: path))
                Console.err("wrote \(path)")
            }
        } catch {
            Console.err("stoicprov schema: cannot write \(FileAccess.describe(error, fallback: directory))")
            return .failure
        }
        return .success
    }
}
