import Apply
import Foundation
import Live
import Operations
import Planner
import Spec
import Views

/// `stoicprov apply`: carry out a saved plan, or plan, confirm and apply.
enum ApplyCommand: Command {
    static let name = "apply"
    static let summary = "make the live systems match: a saved plan, or plan and confirm"
    static let usage = """
        usage: stoicprov apply [FILE | DIR] [--tenant ID]... [--auto-approve] [--parallelism N]
                               [--allow-mass-removal] [--allow-delete] [--sandbox URL] [--workspace DIR]
               stoicprov apply [DIR] --force-unlock LOCK_ID

        With FILE (from 'stoicprov plan --out FILE'), carries out that plan only as far as the workspace and the
        live systems, observed again under the tenant's lock, still call for every change in it, exactly as saved
        (the file is a request, never an order). With DIR (default: the current directory), plans, shows the plan,
        asks for 'yes', then applies.
          --tenant ID            only this tenant (repeatable)
          --auto-approve         apply without asking (needed when stdin is not a terminal)
          --parallelism N        changes in flight at once per tenant (default 4)
          --allow-mass-removal   apply a plan whose removals exceed safety.max_removals
          --allow-delete         carry out deletes (the tenant's removal must also be 'delete')
          --sandbox URL          point every connection at a running 'stoicprov sandbox'
          --workspace DIR        the workspace of a saved plan (default: the one the plan was made in)
          --force-unlock ID      remove a tenant's lock left by an apply that is no longer running
        Progress goes to stderr on a terminal; a journal of every change is kept in DIR/.stoicprov/journal/.
        Exit status: 0 everything applied, 1 anything failed or was refused, 64 usage error.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments, options: ["tenant", "parallelism", "sandbox", "workspace", "force-unlock"],
            flags: ["auto-approve", "allow-mass-removal", "allow-delete"])
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one plan FILE or workspace DIR") }
        let parallelism = try parsed.intOption("parallelism") ?? 4
        guard parallelism >= 1 else { throw .init(message: "'--parallelism' must be at least 1") }
        let clock = try Now.clock()

        // A saved plan or a workspace directory?
        let target = parsed.positionals.first ?? "."
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
        var savedPlan: Plan?
        if exists && !isDirectory.boolValue {
            guard let plan = readPlan(target) else { return .failure }
            savedPlan = plan
        }
        let directory = parsed.option("workspace") ?? savedPlan?.workspace ?? (savedPlan == nil ? target : ".")

        let workspace: Workspace
        let tenants: [String]?
        let observer: Observer
        do throws(WorkspaceInput.Failure) {
            workspace = try WorkspaceInput.load(directory, command: name)
            if let id = parsed.option("force-unlock") { return forceUnlock(id, in: workspace) }
            tenants = try WorkspaceInput.tenants(parsed.options("tenant"), in: workspace, command: name)
            let settings = WorkspaceInput.settings(workspace, sandbox: parsed.option("sandbox"))
            observer = try WorkspaceInput.observer(settings, workspace: workspace, command: name)
        } catch {
            return .failure
        }
        let options = ApplyOptions(
            parallelism: parallelism, allowMassRemoval: parsed.flag("allow-mass-removal"),
            allowDelete: parsed.flag("allow-delete"), workspace: URL(fileURLWithPath: workspace.directory), now: clock)
        let session = ApplySession(workspace: workspace, observer: observer, options: options)

        var plan: Plan
        if var saved = savedPlan {
            if let tenants { saved.tenants = saved.tenants.filter { tenants.contains($0.tenant) } }
            if let refusal = session.refusal(forSaved: saved) {
                Console.err("stoicprov apply: \(refusal)")
                return .failure
            }
            plan = saved
        } else {
            let planSession = PlanSession(workspace: workspace, observer: observer)
            let now = clock()
            plan = runBlocking { await planSession.plan(tenants: tenants, now: now) }.plan
            Console.out(PlanRenderer.text(plan, color: Console.useColor))
            let overridden = parsed.flag("allow-mass-removal") ? ["mass-removal"] : []
            if plan.tenants.contains(where: { $0.errors.contains { !overridden.contains($0.code) } }) {
                Console.err("stoicprov apply: the plan has errors (above); nothing was applied")
                return .failure
            }
            guard plan.hasChanges else { return .success }
            if !parsed.flag("auto-approve") {
                guard let answer = Console.ask("\nDo you want to apply these changes? Only 'yes' is accepted: ") else {
                    Console.err("stoicprov apply: stdin is not a terminal; pass --auto-approve to apply without asking")
                    return .failure
                }
                guard answer.trimmingCharacters(in: .whitespaces) == "yes" else {
                    Console.err("stoicprov apply: cancelled; nothing was applied")
                    return .failure
                }
            }
        }

        let isSaved = savedPlan != nil
        let finalPlan = plan
        let report = runBlocking {
            await session.apply(finalPlan, isSaved: isSaved) { progress in Console.progress(progressLine(progress)) }
        }
        Console.progress(nil)
        Console.out(ApplyReportText.render(report))
        // A refusal (stale plan, held lock, guard) is an error as well as a line of the report.
        for tenant in report.tenants {
            if let refusal = tenant.refusal { Console.err("stoicprov apply: tenant \(tenant.tenant): \(refusal)") }
            if let failure = tenant.journalFailure { Console.err("stoicprov apply: \(failure)") }
        }
        return report.hasFailures ? .failure : .success
    }

    private static func readPlan(_ path: String) -> Plan? {
        do {
            return try Plan.decode(from: FileAccess.read(path, maxBytes: FileAccess.maxPlanFileBytes).get())
        } catch let error as PlanFormatError {
            Console.err("stoicprov apply: \(path): \(error)")
        } catch {
            Console.err("stoicprov apply: cannot read \(FileAccess.describe(error, path: path))")
        }
        return nil
    }

    private static func forceUnlock(_ id: String, in workspace: Workspace) -> ExitCode {
        let root = URL(fileURLWithPath: workspace.directory)
        guard let tenant = workspace.tenants.first(where: { TenantLock.current(workspace: root, tenant: $0.id)?.id == id }) else {
            Console.err("stoicprov apply: no tenant of \(workspace.directory) holds lock \(id)")
            return .failure
        }
        do {
            try TenantLock.forceUnlock(workspace: root, tenant: tenant.id, id: id)
        } catch {
            Console.err("stoicprov apply: \(error)")
            return .failure
        }
        Console.out("Removed lock \(id) of tenant \(tenant.id).")
        return .success
    }

    /// `pg: 120/483 changes · 118 req/min · ETA 3m04s`
    static func progressLine(_ progress: ApplyProgress) -> String {
        var line = "\(progress.tenant): \(progress.finished)/\(progress.total) changes"
        if progress.failed > 0 { line += " (\(progress.failed) failed)" }
        line += " · \(Int(progress.requestsPerMinute.rounded())) req/min"
        if let left = progress.estimatedSecondsLeft { line += " · ETA " + ApplyReportText.duration(left) }
        return line
    }
}
