import Apply
import Foundation
import Live
import Planner
import Sandbox
import Spec

/// One step of `stoicprov demo`, in order.
public enum DemoStep: Int, CaseIterable, Sendable {
    case validate = 1, plan, apply, planAgain, directoryChange, finalPlan, reconcile
}

/// What the demo reports as it walks, in order: each step's values, for `DemoNarration` to put in words.
public enum DemoEvent: Sendable {
    /// The walk starts on the workspace `name` (`examples`); `note` says why the clock is not today's, when it is not.
    case started(name: String, note: String?)
    /// A step begins.
    case step(DemoStep, name: String)
    /// Step 1: the workspace as `validate` reads it.
    case validated(name: String, workspace: Workspace?, diagnostics: Diagnostics, sources: SourceFiles)
    /// Step 2: the first plan; not `isExpected` when it has errors or no creates.
    case planned(Plan, isExpected: Bool)
    /// Step 3, under way.
    case applying(ApplyProgress)
    /// Step 3, done.
    case applied(ApplyReport)
    /// Step 4: the plan after the apply; not `isExpected` when it has changes or errors.
    case plannedAgain(Plan, isExpected: Bool)
    /// Step 5: what the IdP pushes (sent after this event).
    case directoryChange(DemoDirectoryChange)
    /// Step 6: the plan that follows the directory change.
    case finalPlan(Plan)
    /// Step 7: `person` joined `group` in the IdP and `stoicprov reconcile` provisioned them: `changes` done, in
    /// `seconds` from the IdP's push to the last change (one pass; `--follow` adds up to one interval).
    case reconciled(person: String, group: String, changes: Int, seconds: Double)
    /// `step` did not behave as expected, and why: the demo stops.
    case failed(step: String, reason: String)
    /// Every step behaved as expected.
    case finished
}

/// `stoicprov demo`'s walk: an embedded sandbox on a free port, a copy of the workspace, and the seven steps — validate,
/// plan, apply, plan again, a directory change, the plan that follows, the orchestrator — each checking what it saw.
/// The library entry point behind the command, which only prints the events and waits for Ctrl-C under `--keep`.
public struct DemoRunner: Sendable {
    /// The embedded sandbox's root URL (`http://127.0.0.1:PORT`).
    public let root: String
    /// The copy of the workspace the demo walks through, and the temporary directory holding it.
    public let workspace: URL
    let scratch: URL
    /// How the workspace is named in the narration (`examples`): never the temporary path.
    public let name: String
    /// The demo's "now", shared with the embedded sandbox.
    public let clock: @Sendable () -> Date
    /// Whether `clock` is the real one (no `STOICPROV_NOW`, no programme to protect): the CLI then needs no hint.
    public let isRealClock: Bool
    /// Why the clock is not today's, when it is not.
    public let note: String?
    let change = DemoDirectoryChange.example
    let server: SandboxServer

    /// Chooses the clock (`pinned`: `STOICPROV_NOW`), starts the sandbox on it and copies `source` to a temporary
    /// directory.
    public static func start(source: URL, pinned: Date?) throws(OperationsError) -> DemoRunner {
        let today = pinned ?? Date()
        let choice = DemoClock.choose(today: today, workspace: WorkspaceLoader.load(directory: source.path).workspace)
        let clock: @Sendable () -> Date
        switch choice {
        case .today: clock = Now.clock(startingAt: pinned)
        case .pinned(let instant, _, _): clock = Now.clock(startingAt: instant)
        }
        let server: SandboxServer
        let root: String
        do {
            var configuration = SandboxConfiguration()
            configuration.clock = clock
            server = try SandboxServer(configuration)
            root = try server.start()
        } catch {
            throw .demoSetUp(reason: "cannot start the embedded sandbox: \(error)")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-demo-\(UUID().uuidString)")
        let workspace = scratch.appendingPathComponent(source.lastPathComponent)
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: workspace)
        } catch {
            server.stop()
            throw .demoSetUp(
                reason:
                    "cannot copy \(source.path) to \(scratch.path): \(FileAccess.describe(error, fallback: scratch.path))")
        }
        return DemoRunner(
            root: root, workspace: workspace, scratch: scratch, name: source.lastPathComponent, clock: clock,
            isRealClock: pinned == nil && choice == .today,
            note: choice.narration(today: today, source: pinned == nil ? nil : Now.variable), server: server)
    }

    /// Stops the sandbox; the workspace copy is removed unless `keepingCopy`.
    public func stop(keepingCopy: Bool) {
        server.stop()
        if !keepingCopy { try? FileManager.default.removeItem(at: scratch) }
    }

    /// `--workspace DIR`, else `examples/` in the working directory, else `examples/` of the package the binary was
    /// built in (`.build/debug/stoicprov` → the package root), else the package this source file is in.
    public static func sourceWorkspace(_ given: String?) -> URL? {
        func isWorkspace(_ url: URL) -> Bool {
            FileManager.default.fileExists(atPath: url.appendingPathComponent("stoicprov.yaml").path)
        }
        if let given {
            let url = URL(fileURLWithPath: given).standardizedFileURL
            return isWorkspace(url) ? url : nil
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = executable.deletingLastPathComponent()
            for _ in 0..<5 {
                candidates.append(directory)
                directory = directory.deletingLastPathComponent()
            }
        }
        // Sources/Operations/Demo/DemoRunner.swift → the package root.
        var package = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { package = package.deletingLastPathComponent() }
        candidates.append(package)
        return candidates.map { $0.appendingPathComponent("examples").standardizedFileURL }.first(where: isWorkspace)
    }
}
