import Foundation
import Spec

extension SandboxServer {
    /// The profiles each surface knows, by surface name (docs/sandbox.md, "Vendor profiles").
    public static let knownProfiles: [String: [String]] = [
        "workos": WorkOSProfile.all.map(\.name)
    ]

    /// The production surfaces, each built from its section of the seed (`thinkific:`, `workos:`, `scim:`) under its
    /// profile, all reading `clock` as "now". A profile no surface knows is refused.
    public static func standardSurfaces(
        seed: Node?, clock: @escaping @Sendable () -> Date = Date.init, profiles: SandboxProfiles = SandboxProfiles()
    ) throws(SandboxError) -> [any Surface] {
        try profiles.check(known: knownProfiles)
        let workos = WorkOSProfile.named(profiles["workos"]) ?? .kind
        return [
            try ThinkificSurface(seed: seed?["thinkific"], clock: clock),
            try WorkOSSurface(seed: seed?["workos"], profile: workos, clock: clock),
            try SCIMSurface(seed: seed?["scim"], clock: clock),
        ]
    }
}
