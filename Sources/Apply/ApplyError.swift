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
    /// A file under `.stoicprov/` (lock, journal) could not be written or read.
    case stateFile(path: String, reason: String)

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
        case .stateFile(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
