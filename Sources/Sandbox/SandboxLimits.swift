/// Bounds on what one request or one seed can make the sandbox do, beyond the HTTP layer's own (`HTTPLimits`).
/// docs/sandbox.md ("Request limits") lists them all with the answer each one gives.
public enum SandboxLimits {
    /// Nesting of parentheses, `not (…)` and value-path brackets in one SCIM filter; deeper → 400 `invalidFilter`.
    public static let scimFilterDepth = 64
    /// Attribute expressions (comparisons and `pr`) in one SCIM filter; more → 400 `invalidFilter`.
    public static let scimFilterTerms = 1_000
    /// People the `generate:` blocks of one surface's seed section may create together; more is a seed error.
    public static let seedGeneratedPeople = 1_000_000
    /// The largest id a seed may give a Thinkific course, product, user, group or enrollment.
    public static let seedID = 999_999_999_999_999
}
