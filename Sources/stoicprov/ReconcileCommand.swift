import Dispatch
import Foundation
import Live
import Operations
import Spec
import Synchronization
import Views

#if canImport(Glibc)
    import Glibc
#endif

/// `stoicprov reconcile`: copies flags into `ReconcileOptions`, runs `ReconcileService` once or until SIGTERM, and
/// writes one JSON line per event handled.
enum ReconcileCommand: Command {
    static let name = "reconcile"
    static let summary = "follow the WorkOS events and provision people as they join and leave"
    static let usage = """
        usage: stoicprov reconcile [DIR] --once [--since 15m|TIMESTAMP|EVENT_ID]
               stoicprov reconcile [DIR] --follow [--interval 10s] [--full-every 24h]
                                   [--listen 127.0.0.1:9464]
               (both: [--log FILE] [--max-removals-per-hour N] [--burst-people N] [--retention 30d] [--sandbox URL])

        Reads the WorkOS events since the cursor (.stoicprov/reconcile/cursor.json in DIR), observes only the people
        they concern, and applies their changes as 'apply' would: same planner, guards, locks and journal
        (docs/reconcile.md). One JSON line per event handled goes to stdout, or to FILE with --log.
          --once                    handle what happened since the cursor (or --since) and exit
          --since WHEN              start from 15m/2h/1d ago, an ISO-8601 instant, or after an event id
          --follow                  keep going every --interval (default 10s) until SIGTERM or SIGINT
          --full-every DURATION     full reconcile of every tenant this often (default 24h with --follow)
          --listen HOST:PORT        with --follow, serve /healthz and /metrics (Prometheus) on a loopback address
          --log FILE                append the JSON lines to FILE instead of stdout
          --max-removals-per-hour N removals per tenant per hour before its removals stop (default 25)
          --burst-people N          people in one batch past which the tenant is fully reconciled instead
          --retention DURATION      how long the event API keeps events (default 30d)
          --sandbox URL             point every connection at a running 'stoicprov sandbox'
        Exit status: 0 done (or stopped by SIGTERM), 1 a pass had errors or the workspace does not validate, 64 usage.
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let parsed = try Arguments(
            arguments,
            options: [
                "since", "interval", "full-every", "log", "listen", "max-removals-per-hour", "burst-people", "retention",
                "sandbox",
            ],
            flags: ["once", "follow"])
        guard parsed.positionals.count <= 1 else { throw .init(message: "expected one workspace directory") }
        guard parsed.flag("once") != parsed.flag("follow") else {
            throw .init(message: "give exactly one of --once and --follow")
        }
        let follow = parsed.flag("follow")
        let stopping = Mutex(false)
        var options = try reconcileOptions(parsed, follow: follow)
        options.isStopping = { stopping.withLock { $0 } }
        let since = try parsed.option("since").map { text throws(Arguments.UsageError) in
            do throws(OperationsError) { return try ReconcileSince.parse(text) } catch { throw .init(message: error.description) }
        }
        let interval = try duration(parsed, "interval", default: 10)
        let output: ReconcileOutput
        do {
            output = try ReconcileOutput(logPath: parsed.option("log"))
        } catch {
            Console.err("stoicprov reconcile: cannot open the log: \(error)")
            return .failure
        }
        let service = ReconcileService(
            directory: parsed.positionals.first ?? ".", sandbox: parsed.option("sandbox"), options: options)
        guard follow else {
            let pass = runBlocking { await service.pass(since: since) }
            return output.write(pass) ? .success : .failure
        }
        var responder: StatusResponder?
        if let address = parsed.option("listen") {
            let clock = options.now
            do throws(OperationsError) {
                responder = try StatusResponder(address: address) { path in
                    status(service, path: path, interval: interval, now: clock)
                }
            } catch {
                Console.err("stoicprov reconcile: \(error)")
                return .failure
            }
        }
        defer { responder?.stop() }
        Signals.intercept()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopping.withLock { $0 = true } }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        runBlocking { await service.follow(interval: interval, since: since) { pass in _ = output.write(pass) } }
        return .success
    }

    /// `/healthz` and `/metrics` of `--listen`.
    static func status(
        _ service: ReconcileService, path: String, interval: Double, now: @Sendable () -> Date
    ) -> (status: Int, contentType: String, body: String)? {
        switch path {
        case "/healthz":
            let health = ReconcileStatusText.health(service.metrics, interval: interval, now: now())
            return (health.status, "text/plain; charset=utf-8", health.body)
        case "/metrics":
            return (200, "text/plain; version=0.0.4; charset=utf-8", ReconcileStatusText.prometheus(service.metrics))
        default: return nil
        }
    }

    static func reconcileOptions(_ parsed: Arguments, follow: Bool) throws(Arguments.UsageError) -> ReconcileOptions {
        let now = try commandClock()
        let fullEvery = try parsed.option("full-every").map { _ throws(Arguments.UsageError) in
            try duration(parsed, "full-every", default: 0)
        }
        return ReconcileOptions(
            removalsPerHour: try count(parsed, "max-removals-per-hour") ?? 25, burstPeople: try count(parsed, "burst-people"),
            retentionSeconds: try duration(parsed, "retention", default: 30 * 86400),
            fullEverySeconds: fullEvery ?? (follow ? 86400 : nil), now: now)
    }

    static func duration(_ parsed: Arguments, _ name: String, default value: Double) throws(Arguments.UsageError) -> Double {
        guard let text = parsed.option(name) else { return value }
        guard let seconds = ReconcileDuration.seconds(text), seconds > 0 else {
            throw .init(message: "--\(name) must be a duration such as 30s, 10m, 24h or 30d, not '\(text)'")
        }
        return seconds
    }

    static func count(_ parsed: Arguments, _ name: String) throws(Arguments.UsageError) -> Int? {
        guard let text = parsed.option(name) else { return nil }
        guard let value = Int(text), value >= 0, value <= 1_000_000 else {
            throw .init(message: "--\(name) must be a whole number from 0 to 1000000, not '\(text)'")
        }
        return value
    }
}

/// Where the JSON lines go (stdout or an appended log file), and the problems of a pass (stderr).
final class ReconcileOutput: Sendable {
    private let file: Mutex<FileHandle?>

    init(logPath: String?) throws {
        guard let logPath else {
            file = Mutex(nil)
            return
        }
        if !FileManager.default.fileExists(atPath: logPath) {
            guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission)
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try handle.seekToEnd()
        file = Mutex(handle)
    }

    /// Writes a pass's lines and problems; `false` when the pass had any.
    func write(_ pass: ReconcileService.Pass) -> Bool {
        switch pass {
        case .specInvalid(let diagnostics, let sources):
            Console.err(DiagnosticRenderer.render(diagnostics, format: .text, sources: sources, isColored: false))
            Console.err("stoicprov reconcile: the workspace does not validate: nothing is applied until it is fixed")
            return false
        case .failed(let reason):
            Console.err("stoicprov reconcile: \(reason)")
            return false
        case .done(let report):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var lines = report.events.compactMap { try? encoder.encode($0) }
            lines += report.fullReconciles.compactMap { try? encoder.encode(["full_reconcile": $0]) }
            for line in lines { emit(line + Data("\n".utf8)) }
            for (tenant, reason) in report.removalsHeld.sorted(by: { $0.key < $1.key }) {
                Console.err("stoicprov reconcile: tenant \(tenant): removals held: \(reason)")
            }
            for error in report.errors { Console.err("stoicprov reconcile: \(error)") }
            return report.errors.isEmpty
        }
    }

    private func emit(_ data: Data) {
        file.withLock { handle in
            if let handle {
                try? handle.write(contentsOf: SecretScrubber.scrub(data))
            } else {
                Console.out(bytes: data)
            }
        }
    }
}
