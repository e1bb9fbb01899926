import Apply
import Foundation
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
            arguments, options: WorkspaceOptions.names.union(["parallelism", "workspace", "force-unlock"]),
            flags: ["auto-approve", "allow-mass-removal", "allow-delete"])
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one plan FILE or workspace DIR") }
        let parallelism = try parsed.intOption("parallelism") ?? 4
        guard parallelism >= 1 else { throw .init(message: "'--parallelism' must be at least 1") }
        let clock = try commandClock()

        // A saved plan or a workspace directory?
        let target = parsed.positionals.first ?? "."
        let savedPlan: Plan?
        do throws(OperationsError) {
            savedPlan = try PlanFileStore.savedPlan(at: target)
        } catch {
            Console.err("stoicprov apply: \(error)")
            return .failure
        }
        let directory = parsed.option("workspace") ?? savedPlan?.workspace ?? (savedPlan == nil ? target : ".")
        let options = WorkspaceOptions(parsed, directory: directory)
        let opened: WorkspaceInput.Opened
        do throws(WorkspaceInput.Failure) {
            let workspace = try WorkspaceInput.load(directory, command: name)
            if let id = parsed.option("force-unlock") { return forceUnlock(id, in: workspace) }
            opened = try options.open(workspace, command: name)
        } catch {
            return .failure
        }
        let session = ApplySession(
            workspace: opened.workspace, observer: opened.observer,
            options: ApplyOptions(
                parallelism: parallelism, allowMassRemoval: parsed.flag("allow-mass-removal"),
                allowDelete: parsed.flag("allow-delete"), workspace: URL(fileURLWithPath: opened.workspace.directory),
                now: clock))
        let plan: Plan
        if let savedPlan {
            guard let checked = checked(savedPlan, tenants: opened.tenants, session: session) else { return .failure }
            plan = checked
        } else {
            let now = clock()
            let answers = (autoApprove: parsed.flag("auto-approve"), allowMassRemoval: parsed.flag("allow-mass-removal"))
            switch planned(opened, now: now, autoApprove: answers.autoApprove, allowMassRemoval: answers.allowMassRemoval) {
            case .success(let confirmed): plan = confirmed
            case .failure(let exit): return exit.code
            }
        }
        return apply(plan, isSaved: savedPlan != nil, session: session)
    }

    /// The saved plan narrowed to `tenants`, or `nil` (the refusal printed) when it was made from other files.
    private static func checked(_ saved: Plan, tenants: [String]?, session: ApplySession) -> Plan? {
        var saved = saved
        if let tenants { saved.tenants = saved.tenants.filter { tenants.contains($0.tenant) } }
        if let refusal = session.refusal(forSaved: saved) {
            Console.err("stoicprov apply: \(refusal)")
            return nil
        }
        return saved
    }

    /// Why `apply DIR` stops before applying: an error (exit 1) or nothing to do (exit 0).
    private struct Stop: Error {
        var code: ExitCode
    }

    /// `apply DIR`: plans, shows the plan and asks for 'yes' (unless `autoApprove`). With `allowMassRemoval`, the
    /// mass-removal error does not stop it (the executor's guard is overridden too); every other error does.
    private static func planned(
        _ opened: WorkspaceInput.Opened, now: Date, autoApprove: Bool, allowMassRemoval: Bool
    ) -> Result<Plan, Stop> {
        let planSession = PlanSession(workspace: opened.workspace, observer: opened.observer)
        let tenants = opened.tenants
        let plan = runBlocking { await planSession.plan(tenants: tenants, now: now) }.plan
        Console.out(PlanRenderer.text(plan, color: Console.useColor))
        let overridden = allowMassRemoval ? ["mass-removal"] : []
        if plan.tenants.contains(where: { $0.errors.contains { !overridden.contains($0.code) } }) {
            Console.err("stoicprov apply: the plan has errors (above); nothing was applied")
            return .failure(Stop(code: .failure))
        }
        guard plan.hasChanges else { return .failure(Stop(code: .success)) }
        guard !autoApprove else { return .success(plan) }
        guard let answer = Console.ask("\nDo you want to apply these changes? Only 'yes' is accepted: ") else {
            Console.err("stoicprov apply: stdin is not a terminal; pass --auto-approve to apply without asking")
            return .failure(Stop(code: .failure))
        }
        guard answer.trimmingCharacters(in: .whitespaces) == "yes" else {
            Console.err("stoicprov apply: cancelled; nothing was applied")
            return .failure(Stop(code: .failure))
        }
        return .success(plan)
    }

    /// Applies with the progress line on a terminal, then prints the report.
    private static func apply(_ plan: Plan, isSaved: Bool, session: ApplySession) -> ExitCode {
        let report = runBlocking {
            await session.apply(plan, isSaved: isSaved) { progress in Console.progress(ApplyProgressText.line(progress)) }
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

    private static func forceUnlock(_ id: String, in workspace: Workspace) -> ExitCode {
        let tenant: String?
        do throws(ApplyError) {
            tenant = try LockRelease.release(id, in: workspace)
        } catch {
            Console.err("stoicprov apply: \(error)")
            return .failure
        }
        guard let tenant else {
            Console.err("stoicprov apply: no tenant of \(workspace.directory) holds lock \(id)")
            return .failure
        }
        Console.out("Removed lock \(id) of tenant \(tenant).")
        return .success
    }
}
