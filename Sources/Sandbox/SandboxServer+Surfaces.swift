import Foundation
import Spec

extension SandboxServer {
    /// The production surfaces, each built from its section of the seed (`thinkific:`, `workos:`, `scim:`), all
    /// reading `clock` as "now".
    public static func standardSurfaces(
        seed: Node?, clock: @escaping @Sendable () -> Date = Date.init, scimProfiles: SCIMProfiles = .none
    ) throws(SandboxError) -> [any Surface] {
        [
            try ThinkificSurface(seed: seed?["thinkific"], clock: clock),
            try WorkOSSurface(seed: seed?["workos"], clock: clock),
            try SCIMSurface(seed: seed?["scim"], clock: clock, profiles: scimProfiles),
        ]
    }
}
