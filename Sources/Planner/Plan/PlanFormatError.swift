/// Why a saved plan cannot be read. Messages are one line, fit to print after the file name.
public enum PlanFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The bytes are not JSON at all (a truncated file, a text plan saved by mistake).
    case notJSON
    /// JSON without a numeric `format_version`: not a stoicprov plan.
    case missingFormatVersion
    /// A plan written in another version of the format than this build reads (newer, older or unknown): refused.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// The right version, but a field is missing or has the wrong type; `path` is where (`tenants[0].changes[2].action`).
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .notJSON:
            "not a plan file: it is not JSON"
        case .missingFormatVersion:
            "not a plan file: it has no format_version"
        case .unsupportedFormatVersion(let found, let supported) where found > supported:
            "plan format version \(found) is newer than this stoicprov reads (version \(supported)); upgrade stoicprov"
        case .unsupportedFormatVersion(let found, let supported) where found >= 1:
            "plan format version \(found) is older than this stoicprov reads (version \(supported)); run stoicprov plan again"
        case .unsupportedFormatVersion(let found, let supported):
            "unknown plan format version \(found) (this stoicprov reads version \(supported))"
        case .invalid(let path, let reason):
            "invalid plan: \(path.isEmpty ? "" : "\(path): ")\(reason)"
        }
    }
}
