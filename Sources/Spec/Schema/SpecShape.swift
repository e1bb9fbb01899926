/// The one description of the spec files' keys. The validator walks nodes against it (unknown keys, types,
/// formats, required keys) and `JSONSchema` renders it for editors, so there is no second list to keep in sync.
public indirect enum SpecShape: Sendable {
    /// A scalar in a format.
    case value(ValueFormat)
    /// A sequence. `noun` names one item in messages ("domain"); `isUnique` makes repeats an error.
    case list(of: SpecShape, noun: String, isUnique: Bool = false, minCount: Int = 0)
    /// A mapping with known keys and, optionally, named entries (`connections.<name>`, `access.<name>`).
    case object(ObjectShape)

    /// "a list of domains", "a mapping", "a date (YYYY-MM-DD)": what the shape is, for type errors.
    var expectation: String {
        switch self {
        case .value(let format): format.expectation
        case .list(_, let noun, _, _): "a list of \(noun)s"
        case .object: "a mapping"
        }
    }
}

/// A mapping's keys.
public struct ObjectShape: Sendable {
    /// What the mapping is, in messages ("tenant", "thinkific connection").
    public var noun: String
    public var keys: [KeyShape]
    /// Entries under names the author chooses, if the mapping has them.
    public var entries: EntryShape?

    public init(_ noun: String, keys: [KeyShape], entries: EntryShape? = nil) {
        self.noun = noun
        self.keys = keys
        self.entries = entries
    }

    public func key(_ name: String) -> KeyShape? { keys.first { $0.name == name } }
}

/// One known key of a mapping.
public struct KeyShape: Sendable {
    public var name: String
    public var shape: SpecShape
    public var isRequired: Bool
    /// One sentence for docs and editor hovers.
    public var summary: String
    /// The default when the key is absent, as written in YAML.
    public var defaultValue: String?

    public init(
        _ name: String, _ shape: SpecShape, required: Bool = false, default defaultValue: String? = nil, _ summary: String
    ) {
        self.name = name
        self.shape = shape
        self.isRequired = required
        self.summary = summary
        self.defaultValue = defaultValue
    }
}

/// Entries of a mapping whose keys the author names (SCIM connections, access rules, SCIM grants).
public struct EntryShape: Sendable {
    /// What an entry is, in messages ("SCIM connection").
    public var noun: String
    /// Entry names must be ids.
    public var shape: SpecShape
    public var summary: String

    public init(_ noun: String, _ shape: SpecShape, _ summary: String) {
        self.noun = noun
        self.shape = shape
        self.summary = summary
    }
}

/// Formats a scalar may be required to have.
public enum ValueFormat: Sendable {
    /// Any non-empty scalar, read as written.
    case text
    /// `^[a-z][a-z0-9-]{1,62}$`: tenant ids, connection and access rule names.
    case identifier
    /// A Thinkific course slug: lower-case letters and digits in hyphen-separated words.
    case slug
    /// A DNS domain such as `pg.com`.
    case domain
    /// `YYYY-MM-DD`, a day that exists.
    case date
    /// An `http` or `https` URL with a host.
    case url
    /// `env:NAME` or `file:PATH`; never the secret itself.
    case secret
    /// A whole number of at least `minimum`.
    case integer(minimum: Int)
    /// Exactly this whole number (`version: 1`).
    case constant(Int)
    /// `true` or `false`.
    case boolean
    /// One of these words.
    case choice([String])
    /// `10%` (0–100%) or a whole number ≥ 0.
    case percentOrCount

    var expectation: String {
        switch self {
        case .text: "a string"
        case .identifier: "an id"
        case .slug: "a slug (lower-case words joined by hyphens)"
        case .domain: "a domain"
        case .date: "a date (YYYY-MM-DD)"
        case .url: "a URL"
        case .secret: "a secret reference (env:NAME or file:PATH)"
        case .integer(let minimum): minimum == 1 ? "a positive whole number" : "a whole number ≥ \(minimum)"
        case .constant(let value): "the number \(value)"
        case .boolean: "true or false"
        case .choice(let words): "one of " + words.joined(separator: ", ")
        case .percentOrCount: "a percentage (10%) or a count"
        }
    }
}
