import Spec

extension SandboxServer {
    /// The production surfaces, each built from its section of the seed (`thinkific:`, `workos:`, `scim:`).
    public static func standardSurfaces(seed: Node?) throws(SandboxError) -> [any Surface] {
        [
            try ThinkificSurface(seed: seed?["thinkific"]),
            try WorkOSSurface(seed: seed?["workos"]),
            try SCIMSurface(seed: seed?["scim"]),
        ]
    }
}
