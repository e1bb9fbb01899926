import Foundation
import Synchronization

/// Routes requests: `/<surface>/…` to a surface (after latency, rate limiting and fault injection), `/_sandbox/…`
/// to the control surface. Everything here is synchronous and thread-safe.
final class SandboxRouter: Sendable {
    private let surfaces: [String: any Surface]
    private let surfaceOrder: [String]
    private let stats = SandboxStats()
    private let rateLimiter: RateLimiter
    private let faults: FaultPlan
    /// One generator per surface so one surface's traffic does not shift another's faults.
    private let generators: Mutex<[String: SeededGenerator]>
    private let faultSeed: UInt64
    private let latency: Int
    private let log: (@Sendable (String) -> Void)?
    /// Called after anything that may have changed surface state (non-GET requests, control writes, reset).
    private let onChange: @Sendable () -> Void
    /// The Thinkific profile's edge (`--profile thinkific=NAME`); `nil` for the kind sandbox.
    private let thinkificEdge: ThinkificEdge?

    init(surfaces: [any Surface], configuration: SandboxConfiguration, onChange: @escaping @Sendable () -> Void) {
        var byName: [String: any Surface] = [:]
        for surface in surfaces { byName[surface.name] = surface }
        self.surfaces = byName
        surfaceOrder = surfaces.map(\.name)
        let rateLimits = configuration.thinkificProfile.applying(to: configuration.rateLimits)
        rateLimiter = RateLimiter(policy: rateLimits, clock: configuration.clock)
        thinkificEdge =
            configuration.thinkificProfile == .kind
            ? nil : ThinkificEdge(profile: configuration.thinkificProfile, seed: configuration.faultSeed, rateLimits: rateLimits)
        faults = configuration.faults
        faultSeed = configuration.faultSeed
        generators = Mutex([:])
        latency = configuration.latencyMilliseconds
        log = configuration.log
        self.onChange = onChange
    }

    func route(_ request: HTTPRequest, peer: PeerAddress) -> HTTPReply {
        let (first, rest) = Self.splitFirstSegment(request.path)
        let reply: HTTPReply
        if first == "_sandbox" {
            reply = .response(control(request, path: rest, peer: peer))
        } else if let surface = surfaces[first] {
            reply = serve(request, surface: surface, path: rest)
        } else {
            reply = .response(.json(404, object: ["error": "no sandbox surface at '\(request.path)'"]))
        }
        if let log {
            switch reply {
            case .response(let response): log("\(request.method) \(request.path) → \(response.status)")
            case .drop: log("\(request.method) \(request.path) → dropped")
            }
        }
        return reply
    }

    /// `/thinkific/api/x` → (`thinkific`, `/api/x`); `/thinkific` → (`thinkific`, `/`).
    static func splitFirstSegment(_ path: String) -> (String, String) {
        let trimmed = path.drop { $0 == "/" }
        guard let slash = trimmed.firstIndex(of: "/") else { return (String(trimmed), "/") }
        return (String(trimmed[..<slash]), String(trimmed[slash...]))
    }

    // MARK: - Surfaces

    private func serve(_ request: HTTPRequest, surface: any Surface, path: String) -> HTTPReply {
        let name = surface.name
        stats.countRequest(surface: name)
        let key = name == "thinkific" ? "thinkific:\(request.headers["X-Auth-Subdomain"] ?? "")" : name
        guard name == "thinkific", let thinkificEdge else { return serve(request, surface: surface, path: path, key: key) }
        return thinkificEdge.serve(key: key, onLimited: { stats.countRateLimited(surface: name) }) {
            serve(request, surface: surface, path: path, key: key)
        }
    }

    private func serve(_ request: HTTPRequest, surface: any Surface, path: String, key: String) -> HTTPReply {
        let name = surface.name
        if latency > 0 { Thread.sleep(forTimeInterval: Double(latency) / 1000) }

        let decision = rateLimiter.check(surface: name, key: key)
        if case .limited(let reset) = decision {
            stats.countRateLimited(surface: name)
            return .response(Self.tooManyRequests(surface: name, resetInSeconds: reset))
        }

        let fault = faults.isEmpty ? nil : nextFault(for: name)
        if let fault { stats.countFault(surface: name, kind: fault) }
        switch fault {
        case .tooManyRequests:
            return .response(Self.tooManyRequests(surface: name, resetInSeconds: 1))
        case .internalServerError, .badGateway, .serviceUnavailable:
            let status = fault.flatMap { Int($0.rawValue) } ?? 500
            return .response(.json(status, object: ["error": HTTPResponse.reasonPhrase(status)]))
        case .drop:
            return .drop
        case .lost, nil:
            break
        }

        var response = surface.handle(request, path: path)
        if case .allowed(let limit?, let remaining?, let reset?) = decision {
            // The budget left in the window, so that several clients of one site can share it (issue 12).
            response.headers.set("RateLimit-Limit", String(limit))
            response.headers.set("RateLimit-Remaining", String(remaining))
            response.headers.set("RateLimit-Reset", String(reset))
        }
        let template = surface.routeTemplate(method: request.method, path: path)
        stats.countRoute(surface: name, route: Self.routeKey(method: request.method, template: template))
        if request.method != "GET" && request.method != "HEAD" { onChange() }
        return fault == .lost ? .drop : .response(response)
    }

    private func nextFault(for surface: String) -> FaultPlan.Kind? {
        let roll = generators.withLock { generators in
            var generator = generators[surface] ?? SeededGenerator(seed: faultSeed ^ Self.stableHash(surface))
            let roll = generator.unit()
            generators[surface] = generator
            return roll
        }
        return faults.fault(for: surface, roll: roll)
    }

    /// FNV-1a, so the per-surface stream does not depend on the process's hash seed.
    private static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// `GET /users/{id}`; a template that already starts with the method is used as is.
    static func routeKey(method: String, template: String?) -> String {
        guard let template else { return "\(method) (unmatched)" }
        return template.hasPrefix(method + " ") ? template : "\(method) \(template)"
    }

    /// A 429 as the surface's real service words it, with `RateLimit-Reset` and `Retry-After` in seconds.
    static func tooManyRequests(surface: String, resetInSeconds: Int) -> HTTPResponse {
        var response: HTTPResponse
        switch surface {
        case "thinkific":
            response = ThinkificFailure.rateLimited.response
        case "scim":
            response = SCIMFailure.tooManyRequests().response
        default:
            response = JSONWriter.response(429, ["message": "Rate limit exceeded"])
        }
        response.headers.set("RateLimit-Reset", String(resetInSeconds))
        response.headers.set("Retry-After", String(resetInSeconds))
        return response
    }

    // MARK: - Control

    private func control(_ request: HTTPRequest, path: String, peer: PeerAddress) -> HTTPResponse {
        guard peer.isLoopback else {
            return .json(403, object: ["error": "the control surface only answers loopback clients"])
        }
        switch path {
        case "/stats":
            guard request.method == "GET" else { return Self.methodNotAllowed("GET") }
            return .json(200, object: stats.jsonObject(surfaceNames: surfaceOrder))
        case "/reset":
            guard request.method == "POST" else { return Self.methodNotAllowed("POST") }
            resetAll()
            return .json(200, object: ["reset": true])
        default:
            let (first, rest) = Self.splitFirstSegment(path)
            if let surface = surfaces[first], let response = surface.handleControl(request, path: rest) {
                if request.method != "GET" && request.method != "HEAD" { onChange() }
                return response
            }
            return .json(404, object: ["error": "no control route '\(request.method) /_sandbox\(path)'"])
        }
    }

    /// Every surface back to its seed, stats and rate-limit windows cleared.
    func resetAll() {
        for name in surfaceOrder { surfaces[name]?.reset() }
        stats.reset()
        rateLimiter.reset()
        generators.withLock { $0.removeAll() }
        onChange()
    }

    private static func methodNotAllowed(_ allowed: String) -> HTTPResponse {
        var response = HTTPResponse.json(405, object: ["error": "method not allowed"])
        response.headers.set("Allow", allowed)
        return response
    }
}
