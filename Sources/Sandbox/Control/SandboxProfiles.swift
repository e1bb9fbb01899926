import Foundation

/// Vendor behaviour profiles, one per surface: `--profile workos=strict[,SURFACE=NAME…]`. A surface without one
/// behaves kindly (the default). Each surface checks its own profile names (`SandboxServer.standardSurfaces`).
public struct SandboxProfiles: Sendable, Equatable {
    /// Profile name by surface name.
    public var names: [String: String]

    public init(_ names: [String: String] = [:]) {
        self.names = names
    }

    /// The profile asked for `surface`, if any.
    public subscript(surface: String) -> String? { names[surface] }

    /// Parses `SURFACE=NAME[,SURFACE=NAME…]` (empty, or `none`: no profiles). A surface named twice is refused.
    public static func parse(_ text: String) throws(SandboxError) -> SandboxProfiles {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return SandboxProfiles() }
        var names: [String: String] = [:]
        for entry in trimmed.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .setting(name: "profile", reason: "'\(entry)' needs the form surface=name (e.g. workos=strict)")
            }
            guard names[parts[0]] == nil else {
                throw .setting(name: "profile", reason: "the surface '\(parts[0])' is given more than one profile")
            }
            names[parts[0]] = parts[1]
        }
        return SandboxProfiles(names)
    }

    /// Refuses a profile for a surface not in `known` (surface name → its profile names), naming what exists.
    public func check(known: [String: [String]]) throws(SandboxError) {
        for (surface, name) in names.sorted(by: { $0.key < $1.key }) {
            guard let profiles = known[surface] else {
                let surfaces = known.keys.sorted().joined(separator: ", ")
                throw .setting(
                    name: "profile", reason: "no profiles for the surface '\(surface)' (profiles exist for \(surfaces))")
            }
            guard profiles.contains(name) else {
                throw .setting(
                    name: "profile", reason: "unknown \(surface) profile '\(name)' (\(profiles.joined(separator: ", ")))")
            }
        }
    }
}
