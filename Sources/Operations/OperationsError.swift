import Planner

/// Why a command could not be composed: the files the operations read and write for it (saved plans), the clock
/// they are told to run on, and the demo's own set-up. A stage's failure keeps its own type (`LiveError`,
/// `ApplyError`, `PlanFormatError`).
///
/// No case ever carries a secret value.
public enum OperationsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A saved plan could not be written; `detail` is `FileAccess.describe`'s `<path>: <what went wrong> (<what to do>)`.
    case cannotWritePlan(detail: String)
    /// A saved plan could not be read; `detail` as for `cannotWritePlan`.
    case cannotReadPlan(detail: String)
    /// The file at `path` was read but is not a plan this build reads.
    case invalidPlan(path: String, PlanFormatError)
    /// The clock variable (`STOICPROV_NOW`) is set to something that is not an ISO-8601 instant.
    case invalidNow(variable: String, value: String)
    /// `import` would overwrite the file at `path` (as a person reads it: `tenants/acme.yaml`).
    case importFileExists(path: String)
    /// `import` could not write its draft; `detail` as for `cannotWritePlan`.
    case cannotWriteImport(detail: String)
    /// The demo has no workspace to walk through: `--workspace DIR` is not one, or no `examples/` was found.
    case noDemoWorkspace
    /// The demo could not start its embedded sandbox, or copy the workspace; `reason` says which and why.
    case demoSetUp(reason: String)
    /// The orchestrator's cursor or tenant state (`.stoicprov/reconcile/…`) could not be read or written.
    case reconcileState(path: String, reason: String)
    /// `reconcile --listen ADDR` could not serve on that address.
    case listen(address: String, reason: String)
    /// `reconcile --since` is not a duration (`15m`, `2h`, `1d`), an ISO-8601 instant or an event id (`event_…`).
    case invalidSince(String)

    public var description: String {
        switch self {
        case .cannotWritePlan(let detail):
            "cannot write \(detail)"
        case .cannotReadPlan(let detail):
            "cannot read \(detail)"
        case .invalidPlan(let path, let error):
            "\(path): \(error)"
        case .invalidNow(let variable, let value):
            "\(variable) must be an ISO-8601 instant such as 2026-11-27T12:00:00Z, not '\(value)'"
        case .importFileExists(let path):
            "\(path) already exists; remove it first to import again"
        case .cannotWriteImport(let detail):
            "cannot write \(detail)"
        case .noDemoWorkspace:
            "no example workspace found (looked for examples/ here and next to the binary); pass --workspace DIR"
        case .demoSetUp(let reason):
            reason
        case .reconcileState(let path, let reason):
            "\(path): \(reason)"
        case .listen(let address, let reason):
            "cannot listen on \(address): \(reason)"
        case .invalidSince(let value):
            "--since must be a duration such as 15m, 2h or 1d, an ISO-8601 instant or an event id (event_…), not '\(value)'"
        }
    }
}
