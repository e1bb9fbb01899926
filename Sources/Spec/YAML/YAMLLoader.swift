import Foundation

/// Limits that keep hostile YAML from eating time or memory.
public struct YAMLLimits: Sendable {
    /// Files larger than this are refused before parsing.
    public var maxFileBytes: Int = 5 * 1024 * 1024
    /// Nesting deeper than this is refused.
    public var maxDepth: Int = 256
    /// Total nodes produced after expanding aliases; bounds "billion laughs".
    public var maxNodes: Int = 1_000_000

    public init() {}
    public static let `default` = YAMLLimits()
}

/// Parses YAML text into a marked `Node` tree over libyaml's event API.
public enum YAMLLoader {
    /// Parses one YAML document. Problems (syntax, duplicate keys, limits) are appended to `diagnostics`
    /// with the position they occur at; on any error the result is `nil`. An empty document yields `nil`
    /// and an `empty-file` error.
    public static func load(
        _ data: Data, file: String, limits: YAMLLimits = .default, diagnostics: inout Diagnostics
    ) -> Node? {
        // TODO(yaml helper): implement over yaml_parser_parse.
        diagnostics.append(
            .error("yaml-syntax", "YAML loader not implemented", at: SourceLocation(file: file, line: 1, column: 1)))
        return nil
    }
}
