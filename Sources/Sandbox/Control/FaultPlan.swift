import Foundation

/// How often each surface misbehaves on purpose. Parsed from `--faults`, e.g.
/// `thinkific:5xx=0.05,drop=0.02,lost=0.01;scim:429=0.1` (`*:` applies to every surface; a named surface's
/// entry replaces `*` for that surface). Kinds: `429`, `500`, `502`, `503`, `5xx` (split evenly over the three),
/// `drop`, `lost`. Probabilities are in 0…1 and sum to at most 1 per surface.
public struct FaultPlan: Sendable, Equatable {
    /// One kind of injected fault.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Answer 429 with reset headers, without touching the surface.
        case tooManyRequests = "429"
        case internalServerError = "500"
        case badGateway = "502"
        case serviceUnavailable = "503"
        /// Close the connection without answering; the surface never sees the request.
        case drop
        /// The surface handles the request (its write happens), then the connection closes without the response.
        case lost
    }

    /// Probability of each kind, per surface name (`*` for any surface without its own entry).
    public var probabilities: [String: [Kind: Double]]

    public init(_ probabilities: [String: [Kind: Double]] = [:]) {
        self.probabilities = probabilities
    }

    public static let none = FaultPlan()

    public var isEmpty: Bool { probabilities.values.allSatisfy { $0.values.allSatisfy { $0 == 0 } } }

    /// The probabilities that apply to a surface.
    public func probabilities(for surface: String) -> [Kind: Double] {
        probabilities[surface] ?? probabilities["*"] ?? [:]
    }

    /// Picks the fault for one request from a uniform roll in `0..<1`, or `nil` for none. Kinds are laid out
    /// on the unit interval in `Kind.allCases` order, so a given roll always selects the same kind.
    public func fault(for surface: String, roll: Double) -> Kind? {
        let table = probabilities(for: surface)
        var upper = 0.0
        for kind in Kind.allCases {
            upper += table[kind] ?? 0
            if roll < upper { return kind }
        }
        return nil
    }

    /// Parses the `--faults` grammar: `surface:kind=p[,kind=p…][;surface:…]`. Empty text or `none` is no faults.
    public static func parse(_ text: String) throws(SandboxError) -> FaultPlan {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return .none }
        var plan: [String: [Kind: Double]] = [:]
        for section in trimmed.split(separator: ";", omittingEmptySubsequences: true) {
            guard let colon = section.firstIndex(of: ":") else {
                throw .setting(name: "faults", reason: "'\(section)' needs the form surface:kind=probability")
            }
            let surface = section[..<colon].trimmingCharacters(in: .whitespaces)
            guard !surface.isEmpty else { throw .setting(name: "faults", reason: "missing surface name in '\(section)'") }
            var table: [Kind: Double] = plan[surface] ?? [:]
            for entry in section[section.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: true) {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let probability = Double(parts[1]), probability >= 0, probability <= 1 else {
                    throw .setting(name: "faults", reason: "'\(entry)' needs the form kind=probability (0…1)")
                }
                if parts[0] == "5xx" {
                    for kind in [Kind.internalServerError, .badGateway, .serviceUnavailable] {
                        table[kind, default: 0] += probability / 3
                    }
                } else if let kind = Kind(rawValue: parts[0]) {
                    table[kind, default: 0] += probability
                } else {
                    let kinds = ["429", "500", "502", "503", "5xx", "drop", "lost"]
                    throw .setting(
                        name: "faults", reason: "unknown fault '\(parts[0])' (one of \(kinds.joined(separator: ", ")))")
                }
            }
            let total = table.values.reduce(0, +)
            guard total <= 1 + 1e-9 else {
                throw .setting(name: "faults", reason: "probabilities for '\(surface)' add up to \(total), more than 1")
            }
            plan[surface] = table
        }
        return FaultPlan(plan)
    }
}

/// A small, seedable pseudo-random generator (SplitMix64), so a fault seed replays the same faults.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `0..<1`.
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
