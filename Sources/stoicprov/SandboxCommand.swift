import Foundation
import Sandbox

/// `stoicprov sandbox`: copies flags into a `SandboxConfiguration`, runs a `SandboxServer` until SIGINT/SIGTERM.
enum SandboxCommand: Command {
    static let name = "sandbox"
    static let summary = "serve emulated Thinkific, WorkOS and SCIM APIs on loopback"
    static let usage = """
        usage: stoicprov sandbox [--host H] [--port N] [--public] [--state FILE] [--seed FILE] [--latency MS]
                                 [--faults SPEC] [--fault-seed N] [--rate-limit SPEC] [--profile SPEC] [--verbose]

        Serves /thinkific/…, /workos/…, /scim/<app>/… and the /_sandbox/… control surface until interrupted.
        Prints 'sandbox listening on http://HOST:PORT' when ready. See docs/sandbox.md. With STOICPROV_NOW set
        (an ISO-8601 instant), the surfaces' clock starts there instead of today.

          --host H             address to bind (default 127.0.0.1; non-loopback needs --public)
          --port N             port (default 0: a free port)
          --public             allow binding a non-loopback address
          --state FILE         keep state in this JSON file (restored on start, saved after changes)
          --seed FILE          seed YAML (default: the seed matching examples/)
          --latency MS         delay added to every request
          --faults SPEC        e.g. "thinkific:5xx=0.05,drop=0.02,lost=0.01;scim:429=0.1" ("*:" for all)
          --fault-seed N       seed for fault injection (default 1)
          --rate-limit SPEC    e.g. "thinkific=120/min,workos=6000/min", or none (default thinkific=120/min)
          --profile SPEC       vendor behaviour per surface, e.g. "workos=strict" (default: every surface kind)
          --verbose            log each request to stderr
        """

    static func run(_ arguments: [String]) throws(Arguments.UsageError) -> ExitCode {
        let arguments = try Arguments(
            arguments,
            options: ["host", "port", "state", "seed", "latency", "faults", "fault-seed", "rate-limit", "profile"],
            flags: ["public", "verbose"])
        guard arguments.positionals.isEmpty else {
            throw Arguments.UsageError(message: "unexpected argument '\(arguments.positionals[0])'")
        }
        let configuration = try configuration(from: arguments)

        // Ignore the signals first so they reach the dispatch sources instead of killing the process.
        Signals.intercept()
        let server: SandboxServer
        let url: String
        do {
            server = try SandboxServer(configuration)
            url = try server.start()
        } catch {
            Console.err("stoicprov sandbox: \(error)")
            return .failure
        }
        Console.out("sandbox listening on \(url)")

        Signals.waitForStop()
        server.stop()
        return .success
    }

    private static func configuration(from arguments: Arguments) throws(Arguments.UsageError) -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.host = arguments.option("host") ?? configuration.host
        configuration.isPublic = arguments.flag("public")
        if let port = try arguments.intOption("port") {
            guard (0...65535).contains(port) else { throw Arguments.UsageError(message: "'--port' must be 0…65535") }
            configuration.port = port
        }
        if let latency = try arguments.intOption("latency") {
            guard latency >= 0 else { throw Arguments.UsageError(message: "'--latency' must not be negative") }
            configuration.latencyMilliseconds = latency
        }
        configuration.stateFile = arguments.option("state")
        configuration.clock = try commandClock()
        configuration.seed = arguments.option("seed").map { .file($0) } ?? .standard
        if let text = arguments.option("fault-seed") {
            guard let seed = UInt64(text) else {
                throw Arguments.UsageError(message: "'--fault-seed' needs a whole number, not '\(text)'")
            }
            configuration.faultSeed = seed
        }
        do {
            configuration.faults = try arguments.option("faults").map(FaultPlan.parse) ?? .none
            configuration.rateLimits = try arguments.option("rate-limit").map(RateLimitPolicy.parse) ?? .cliDefault
            configuration.profiles = try arguments.option("profile").map(SandboxProfiles.parse) ?? SandboxProfiles()
            try configuration.profiles.check(known: SandboxServer.knownProfiles)
        } catch {
            throw Arguments.UsageError(message: error.description)
        }
        if arguments.flag("verbose") {
            configuration.log = { Console.err($0) }
        } else {
            configuration.log = { line in if line.hasPrefix("sandbox:") { Console.err(line) } }
        }
        return configuration
    }
}
