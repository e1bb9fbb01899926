/// The first draft of a tenant file, as `stoicprov new` writes it: pure text from a few answers, no I/O.
///
/// The draft validates as it stands (with `directory: none` it warns that no roster names its rule yet), and its
/// comments say what to fill in: seats, programme dates, courses, the IdP group names to ask the client's IT for,
/// rosters. Check `problems(claimedDomains:)` before rendering `text`: ids and domains follow `validate`'s rules.
public struct TenantScaffold: Sendable, Hashable {
    /// The tenant id (file name, WorkOS `external_id`).
    public var id: String
    /// The client's display name.
    public var name: String
    /// Email domains, lower-cased, each once, in the order given.
    public var domains: [String]
    public var provider: SSOProvider
    public var directory: DirectorySource
    /// Licensed seats; `nil` writes a placeholder marked TODO.
    public var seats: Int?
    /// The programme dates written as placeholders (see `placeholderProgram(after:)`).
    public var program: Program
    /// The workspace's connections, when its `stoicprov.yaml` could be read: the access rule grants through
    /// Thinkific (if configured) and every SCIM connection. `nil` uses `defaultDestinations`.
    public var connections: Connections?
    /// The `$schema` path for yaml-language-server, relative to the tenant file.
    public var schemaPath: String

    /// What the access rule grants through when the workspace has no readable `stoicprov.yaml`.
    public static let defaultDestinations = ["thinkific", "insights"]
    /// The seat count written when none is given: small, so a forgotten placeholder refuses a plan rather than
    /// provisioning past the licence.
    public static let placeholderSeats = 10

    public init(
        id: String, name: String? = nil, domains: [String], provider: SSOProvider, directory: DirectorySource? = nil,
        seats: Int? = nil, program: Program, connections: Connections? = nil,
        schemaPath: String = "../schema/tenant.schema.json"
    ) {
        self.id = id
        self.name = name ?? TenantScaffold.displayName(for: id)
        var seen: Set<String> = []
        self.domains = domains.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        self.provider = provider
        self.directory = directory ?? (provider == .none ? .none : .workos)
        self.seats = seats
        self.program = program
        self.connections = connections
        self.schemaPath = schemaPath
    }

    /// `acme-corp` → `Acme Corp`: a readable default for `name`.
    public static func displayName(for id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// Placeholder programme dates: from the first day of the month after `today`, six months long.
    public static func placeholderProgram(after today: CalendarDate) -> Program {
        let startMonth = today.month == 12 ? 1 : today.month + 1
        let startYear = today.month == 12 ? today.year + 1 : today.year
        let endMonthIndex = startMonth + 4  // zero-based month index of the sixth month
        let endYear = startYear + endMonthIndex / 12
        let endMonth = endMonthIndex % 12 + 1
        return Program(
            starts: CalendarDate(year: startYear, month: startMonth, day: 1),
            ends: CalendarDate(year: endYear, month: endMonth, day: CalendarDate.days(inMonth: endMonth, year: endYear)))
    }

    /// Destinations the access rule grants through: `thinkific` and SCIM connection names.
    public var destinations: [String] {
        connections?.destinationNames ?? TenantScaffold.defaultDestinations
    }
}

extension TenantScaffold {
    /// The connections of a `stoicprov.yaml` node tree, when it has no errors; `nil` otherwise. Lets a scaffold
    /// follow the workspace's connections even while some other tenant file is broken.
    public static func connections(inConfig node: Node, file: String) -> Connections? {
        var diagnostics = Diagnostics()
        var redactions: [SourceLocation] = []
        let config = ConfigReader.read(node, file: file, diagnostics: &diagnostics, redactions: &redactions)
        return diagnostics.hasErrors ? nil : config.connections
    }
}
