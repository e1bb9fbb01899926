import Foundation
import Live
import Spec

extension TenantImport {
    /// Why `TENANT` and `--domain` cannot be imported into `workspace`, checked as `validate` would check them against
    /// the other tenants: one message per problem, none when the answers are fine.
    public static func problems(tenant id: String, domains: [String], in workspace: Workspace) -> [String] {
        if workspace.tenant(id: id) != nil {
            return ["tenant '\(id)' already exists in \(workspace.directory); import drafts new tenants only"]
        }
        var claimed: [String: String] = [:]
        for tenant in workspace.tenants {
            for domain in tenant.domains { claimed[domain] = tenant.id }
        }
        let day = CalendarDate(year: 2000, month: 1, day: 1)
        let scaffold = TenantScaffold(id: id, domains: domains, provider: .none, program: Program(starts: day, ends: day))
        return scaffold.problems(claimedDomains: claimed).map(\.message)
    }

    /// Writes the draft's tenant file and rosters into the workspace at `workspace`, never over an existing file;
    /// returns the paths written, as a person reads them (`tenants/acme.yaml`, `rosters/acme-imported.csv`).
    public static func write(_ draft: ImportedTenant, workspace: String) throws(OperationsError) -> [String] {
        let tenants = join(workspace, "tenants")
        let tenantFile = join(tenants, draft.id + ".yaml")
        let rosters = draft.rosters.map { (path: join(tenants, $0.file), csv: $0.csv) }
        let paths = [tenantFile, join(tenants, draft.id + ".yml")] + rosters.map(\.path)
        for existing in paths where FileManager.default.fileExists(atPath: existing) {
            throw .importFileExists(path: normalize(existing))
        }
        do {
            for roster in rosters {
                let url = URL(fileURLWithPath: roster.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(SecretScrubber.scrub(roster.csv).utf8).write(to: url, options: .withoutOverwriting)
            }
            try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
            try Data(SecretScrubber.scrub(draft.text).utf8).write(
                to: URL(fileURLWithPath: tenantFile), options: .withoutOverwriting)
        } catch {
            throw .cannotWriteImport(detail: FileAccess.describe(error, fallback: workspace))
        }
        return ([tenantFile] + rosters.map(\.path)).map(normalize)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// `tenants/../rosters/x.csv` → `rosters/x.csv`, for messages.
    private static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "..", let last = parts.last, last != "..", !last.isEmpty {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
