import Foundation
import Planner
import Spec

/// `stoicprov new TENANT --idp … --domain …`: drafts `tenants/<TENANT>.yaml`, a commented file that validates as
/// it stands, from the workspace's connections.
enum NewCommand: Command {
    static let name = "new"
    static let summary = "draft a commented tenant file for a new client"
    static let usage = """
        usage: stoicprov new TENANT --idp PROVIDER --domain DOMAIN [--domain DOMAIN]… [--directory workos|none]
                             [--name "Acme Corp"] [--seats N] [--dir WORKSPACE] [--stdout]

        Writes WORKSPACE/tenants/TENANT.yaml (WORKSPACE: the current directory by default): a tenant file that
        validates as it stands and says in its comments what to fill in. Never overwrites a file.
          --idp PROVIDER     okta, entra, google, pingfederate, generic-saml or none
          --domain DOMAIN    an email domain the client owns (repeatable, at least one)
          --directory SRC    workos (Directory Sync; the default unless --idp none) or none (rosters only)
          --name NAME        the client's display name (default: from TENANT)
          --seats N          licensed seats (default: a small placeholder marked TODO)
          --stdout           print the file instead of writing it
        Access rules grant through the connections in WORKSPACE/stoicprov.yaml when it can be read.
        Exit status: 0 written, 1 invalid TENANT or domain or the file exists, 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments, options: ["idp", "domain", "directory", "name", "seats", "dir"], flags: ["stdout"])
        guard parsed.positionals.count == 1, let id = parsed.positionals.first else {
            throw .init(message: parsed.positionals.isEmpty ? "missing TENANT" : "expected one TENANT")
        }
        guard let provider = try parsed.choice("idp", of: SSOProvider.allCases) else {
            throw .init(message: "missing --idp (one of \(providers))")
        }
        let directory = try parsed.choice("directory", of: DirectorySource.allCases)
        let domains = parsed.options("domain")
        guard !domains.isEmpty else { throw .init(message: "missing --domain (an email domain the client owns)") }
        let workspace = parsed.option("dir") ?? "."
        let today = try commandClock()()

        let config = readConfig(workspace)
        let scaffold = TenantScaffold(
            id: id, name: parsed.option("name"), domains: domains, provider: provider, directory: directory,
            seats: try parsed.intOption("seats"), program: TenantScaffold.placeholderProgram(after: Instant(today).day),
            connections: config?.connections ?? nil, schemaPath: schemaPath(workspace))
        let problems = scaffold.problems(claimedDomains: config?.claimedDomains ?? [:])
        guard problems.isEmpty else {
            for problem in problems { Console.err("stoicprov new: \(problem.message)") }
            return .failure
        }
        if parsed.flag("stdout") {
            Console.out(scaffold.text)
            return .success
        }
        return write(scaffold, workspace: workspace)
    }

    private static let providers = SSOProvider.allCases.map(\.rawValue)

    // MARK: - Writing

    private static func write(_ scaffold: TenantScaffold, workspace: String) -> ExitCode {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isDirectory), isDirectory.boolValue else {
            Console.err("stoicprov new: '\(workspace)' is not a directory")
            return .failure
        }
        let tenants = join(workspace, "tenants")
        let file = join(tenants, scaffold.id + ".yaml")
        for existing in [file, join(tenants, scaffold.id + ".yml")] where FileManager.default.fileExists(atPath: existing) {
            Console.err("stoicprov new: \(existing) already exists; edit it, or remove it first to start again")
            return .failure
        }
        do {
            try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
            // Never overwrite, even if the file appeared since the check above.
            try Data(scaffold.text.utf8).write(to: URL(fileURLWithPath: file), options: .withoutOverwriting)
        } catch {
            Console.err("stoicprov new: cannot write \(FileAccess.describe(error, path: file))")
            return .failure
        }
        let validate = workspace == "." ? "stoicprov validate" : "stoicprov validate \(workspace)"
        Console.out(
            """
            wrote \(file)
            Next: fill in its TODOs (seats, programme dates, courses, the IdP group names to ask the client's IT for),
            then run '\(validate)' and open a pull request.
            """)
        return .success
    }

    // MARK: - The workspace

    /// The connections of the workspace's `stoicprov.yaml` when it reads without errors, and which tenant owns
    /// each domain when the whole workspace validates.
    private static func readConfig(_ workspace: String) -> (connections: Connections?, claimedDomains: [String: String])? {
        let file = join(workspace, "stoicprov.yaml")
        guard let data = try? FileAccess.read(file, maxBytes: YAMLLimits.default.maxFileBytes).get() else { return nil }
        var diagnostics = Diagnostics()
        let connections = YAMLLoader.load(data, file: file, diagnostics: &diagnostics).flatMap {
            TenantScaffold.connections(inConfig: $0, file: file)
        }
        var claimed: [String: String] = [:]
        for tenant in WorkspaceLoader.load(directory: workspace).workspace?.tenants ?? [] {
            for domain in tenant.domains { claimed[domain] = tenant.id }
        }
        return (connections, claimed)
    }

    /// The JSON Schema next to the workspace (`stoicprov schema --out schema`) or one level up, as in `examples/`.
    private static func schemaPath(_ workspace: String) -> String {
        if FileManager.default.fileExists(atPath: join(join(workspace, ".."), "schema/tenant.schema.json")),
            !FileManager.default.fileExists(atPath: join(workspace, "schema/tenant.schema.json"))
        {
            return "../../schema/tenant.schema.json"
        }
        return "../schema/tenant.schema.json"
    }

    private static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
