import Foundation
import Live
import Spec
import Synchronization

/// The orchestrator as a service: every pass loads the workspace again, so a fix is picked up and a spec that no
/// longer validates stops all writes (the pass reports its diagnostics and does nothing else) until it is fixed.
/// `--follow` is `follow(…)`, `--once` one `pass(…)`.
public final class ReconcileService: Sendable {
    /// What one pass came to.
    public enum Pass: Sendable {
        /// The workspace does not validate: nothing was read or written.
        case specInvalid(Diagnostics, SourceFiles)
        /// The connections could not be set up (a missing secret): nothing was read or written.
        case failed(String)
        case done(ReconcilePassReport)
    }

    public let directory: String
    public let sandbox: String?
    public let options: ReconcileOptions
    private let current = Mutex<Reconciler?>(nil)
    private let invalid = Mutex<String?>(nil)

    public init(directory: String, sandbox: String?, options: ReconcileOptions) {
        self.directory = directory
        self.sandbox = sandbox
        self.options = options
    }

    /// The counters of the current reconciler (with `specInvalid` while the spec does not validate).
    public var metrics: ReconcileMetrics {
        var metrics = current.withLock { $0 }?.metrics ?? ReconcileMetrics()
        metrics.specInvalid = invalid.withLock { $0 }
        return metrics
    }

    /// The reconciler for the workspace as it is on disk now: kept while the files are unchanged, so its frames,
    /// connections and counters live on; made again when they change.
    func reconciler() -> (Reconciler?, Pass?) {
        let (loaded, diagnostics, sources) = WorkspaceLoader.load(directory: directory)
        guard let workspace = loaded, !diagnostics.hasErrors else {
            invalid.withLock { $0 = "the workspace does not validate" }
            return (nil, .specInvalid(diagnostics, sources))
        }
        invalid.withLock { $0 = nil }
        if let existing = current.withLock({ $0 }), existing.workspace.digest == workspace.digest { return (existing, nil) }
        let settings = ClientSettings(workspace, sandbox: sandbox)
        do {
            let observer = try Observer(
                settings: settings, resolver: SecretResolver(workspace: URL(fileURLWithPath: workspace.directory)))
            let reconciler = Reconciler(workspace: workspace, observer: observer, options: options)
            current.withLock { $0 = reconciler }
            return (reconciler, nil)
        } catch {
            return (nil, .failed("\(error)"))
        }
    }

    public func pass(since: ReconcileSince? = nil) async -> Pass {
        let (reconciler, failure) = reconciler()
        guard let reconciler else { return failure ?? .failed("the workspace could not be loaded") }
        return .done(await reconciler.pass(since: since))
    }

    /// Passes every `interval` seconds until `options.isStopping()`; `since` applies to the first pass only.
    /// Sleeps in slices of a tenth of a second, so a stop request is seen quickly.
    public func follow(interval: Double, since: ReconcileSince?, onPass: @Sendable (Pass) -> Void) async {
        var first = true
        while !options.isStopping() {
            let started = ContinuousClock.now
            onPass(await pass(since: first ? since : nil))
            first = false
            let deadline = started + .milliseconds(Int(max(0.05, interval) * 1000))
            while !options.isStopping(), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
