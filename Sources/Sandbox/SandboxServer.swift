import Foundation
import Spec
import Synchronization

/// The sandbox: one HTTP server on loopback serving every surface under its name, plus the `/_sandbox/…` control
/// surface, with optional latency, rate limits, fault injection and a state file.
///
/// ```swift
/// let server = try SandboxServer(configuration)            // the standard surfaces from the seed
/// let root = try server.start()                             // "http://127.0.0.1:PORT"
/// defer { server.stop() }
/// ```
public final class SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    /// The surfaces served, in the order given.
    public let surfaces: [any Surface]
    private let store: StateStore?
    private let router: SandboxRouter
    private let http = Mutex<HTTPServer?>(nil)

    /// A server for the given surfaces (tests pass their own). Restores `stateFile` if it exists.
    public init(_ configuration: SandboxConfiguration, surfaces: [any Surface]) throws(SandboxError) {
        self.configuration = configuration
        self.surfaces = surfaces
        var seen: Set<String> = []
        for surface in surfaces where !seen.insert(surface.name).inserted || surface.name == "_sandbox" {
            throw .setting(name: "surfaces", reason: "surface name '\(surface.name)' is taken")
        }
        let store = configuration.stateFile.map {
            StateStore(path: $0, surfaces: surfaces, log: configuration.log)
        }
        try store?.restore()
        self.store = store
        router = SandboxRouter(surfaces: surfaces, configuration: configuration) { store?.markDirty() }
    }

    /// A server for the standard surfaces (Thinkific, WorkOS, SCIM) built from the configured seed, on the configured
    /// clock.
    public convenience init(_ configuration: SandboxConfiguration) throws(SandboxError) {
        let seed = try SandboxSeed.load(configuration.seed)
        try self.init(
            configuration,
            surfaces: Self.standardSurfaces(seed: seed, clock: configuration.clock, profiles: configuration.profiles))
    }

    /// Binds and starts serving; returns the root URL (`http://127.0.0.1:PORT`, no trailing slash).
    /// Refuses a non-loopback address unless `isPublic`.
    @discardableResult
    public func start() throws(SandboxError) -> String {
        if let running = http.withLock({ $0 }) { return Self.rootURL(running) }
        let display = "\(configuration.host):\(configuration.port)"
        guard (0...65535).contains(configuration.port) else {
            throw .bind(address: display, reason: "port must be 0…65535")
        }
        let address = try Socket.resolve(host: configuration.host, port: configuration.port).get()
        if !configuration.isPublic, !Socket.describe(address.storage).isLoopback {
            throw .bind(address: display, reason: "not a loopback address; pass --public to serve other machines")
        }
        let router = router
        let server = try HTTPServer(address: address, display: display, limits: configuration.limits) { request, peer in
            router.route(request, peer: peer)
        }
        http.withLock { $0 = server }
        server.start()
        return Self.rootURL(server)
    }

    /// The root URL while running.
    public var url: String? {
        http.withLock { $0 }.map(Self.rootURL)
    }

    /// The bound port while running.
    public var port: Int? {
        http.withLock { $0 }?.boundPort
    }

    /// TCP connections accepted since `start()` (keep-alive reuse shows as fewer connections than requests).
    public var connectionsAccepted: Int {
        http.withLock { $0 }?.acceptedConnections ?? 0
    }

    /// Stops listening, lets in-flight requests finish, then saves the state file. Safe to call more than once.
    public func stop() {
        let server = http.withLock { server in
            defer { server = nil }
            return server
        }
        server?.stop()
        store?.flush()
    }

    /// Every surface back to its seed and the stats zeroed, as `POST /_sandbox/reset` does.
    public func reset() {
        router.resetAll()
    }

    private static func rootURL(_ server: HTTPServer) -> String {
        server.isIPv6 ? "http://[\(server.boundHost)]:\(server.boundPort)" : "http://\(server.boundHost):\(server.boundPort)"
    }
}
