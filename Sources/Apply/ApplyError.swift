/// Why applying a plan to a tenant could not go ahead or could not be recorded: guards, staleness, the lock and the
/// journal. A live system's failure during a change is a `LiveError`, recorded in that change's report.
///
/// No case ever carries a secret value.
public enum ApplyError: Error, CustomStringConvertible, Sendable, Hashable {
    /// A tenant's plan may not be applied as it stands (plan errors, the mass-removal guard, deletes without the
    /// explicit flag); `reason` says which and how to proceed.
    case refused(tenant: String, reason: String)
    /// The saved plan no longer matches the workspace or the live systems; `reasons` says what changed.
    case stalePlan(reasons: [String])
    /// Another apply holds the tenant's lock. `isStale` when its process is gone from this host (it is not stolen).
    case lockHeld(tenant: String, id: String, owner: String, host: String, pid: Int32, time: String, isStale: Bool)
    /// `--force-unlock ID` named a lock that is not the one held (or none is held).
    case lockMismatch(tenant: String, given: String, held: String?)
    /// A saved plan asks for changes that the current workspace and a fresh observation of the tenant do not
    /// produce (a hand-edited plan, or one the world has moved past); `reasons` names each such change.
    case notJustified(tenant: String, reasons: [String])
    /// A file under `.stoicprov/` (lock, journal) could not be written or read.
    case stateFile(path: String, reason: String)
    /// The journal could not be written during an apply, which then stopped: `notStarted` changes were never
    /// started, and `unrecorded` lists the changes that were carried out (or tried) but have no journal line.
    case journalUnwritable(tenant: String, path: String, reason: String, unrecorded: [String], notStarted: Int)

    public var description: String {
        switch self {
        case .refused(let tenant, let reason):
            "tenant \(tenant): refusing to apply: \(reason)"
        case .stalePlan(let reasons):
            "the plan is stale: " + reasons.joined(separator: "; ") + "; run stoicprov plan again"
        case .lockHeld(let tenant, let id, let owner, let host, let pid, let time, let isStale):
            "tenant \(tenant) is locked by \(owner) on \(host) (pid \(pid)) since \(time)"
                + (isStale ? "; that process is no longer running on this host" : "")
                + "; if no apply is running, remove the lock with --force-unlock \(id)"
        case .lockMismatch(let tenant, let given, let held):
            held.map { "tenant \(tenant): the lock held is \($0), not \(given)" }
                ?? "tenant \(tenant): no lock is held (asked to unlock \(given))"
        case .notJustified(let tenant, let reasons):
            "tenant \(tenant): refusing the saved plan: the current workspace and live state do not produce "
                + Self.list(reasons) + "; run stoicprov plan again"
        case .stateFile(let path, let reason):
            "\(path): \(reason)"
        case .journalUnwritable(let tenant, let path, let reason, let unrecorded, let notStarted):
            "tenant \(tenant): cannot write the journal \(path) (\(reason)); the apply stopped with \(notStarted) "
                + "change\(notStarted == 1 ? "" : "s") not started"
                + (unrecorded.isEmpty
                    ? ""
                    : "; not recorded in the journal although carried out or tried: " + Self.list(unrecorded))
        }
    }

    /// At most ten items, then how many more.
    private static func list(_ items: [String]) -> String {
        let shown = items.prefix(10).joined(separator: "; ")
        return items.count > 10 ? shown + "; and \(items.count - 10) more" : shown
    }
}
