/// The keys of `stoicprov.yaml` and of tenant files. Validation and `stoicprov schema` both read these.
extension SpecShape {
    // MARK: - stoicprov.yaml

    public static let config = SpecShape.object(
        ObjectShape(
            "stoicprov.yaml",
            keys: [
                KeyShape("version", .value(.constant(1)), required: true, "Spec format version; must be 1."),
                KeyShape("connections", .object(connections), required: true, "The live systems tenants are provisioned into."),
                KeyShape("defaults", .object(defaults), "Defaults every tenant inherits unless it overrides them."),
                KeyShape("review", .object(review), "How plans show people in pull-request comments."),
            ]))

    static let review = ObjectShape(
        "review",
        keys: [
            KeyShape(
                "emails", .value(.choice(EmailDisplay.allCases.map(\.rawValue))), default: "masked",
                "masked (Ana G. · a…@pg.com #3f2c), named (full name, masked address) or full (name and address)."),
            KeyShape(
                "pseudonym_key", .value(.secret),
                "Key of the people's pseudonym tags, as env:NAME or file:PATH; default: derived from the connections' credentials."
            ),
        ])

    static let connections = ObjectShape(
        "connections",
        keys: [
            KeyShape("workos", .object(workos), "WorkOS: organizations, SSO and Directory Sync."),
            KeyShape("thinkific", .object(thinkific), "The Thinkific site where learning happens."),
        ],
        entries: EntryShape(
            "SCIM connection", .object(scimConnection), "A SCIM 2.0 app (Conscious Insights, the dashboard), by name."))

    static let workos = ObjectShape(
        "workos connection",
        keys: [
            KeyShape("api_key", .value(.secret), required: true, "WorkOS API key, as env:NAME or file:PATH."),
            KeyShape("base_url", .value(.url), default: "https://api.workos.com", "API base URL."),
            KeyShape("requests_per_minute", .value(.integer(minimum: 1)), "Client-side rate limit."),
        ])

    static let thinkific = ObjectShape(
        "thinkific connection",
        keys: [
            KeyShape("subdomain", .value(.slug), required: true, "The site's subdomain (stoic for stoic.thinkific.com)."),
            KeyShape("api_key", .value(.secret), required: true, "Admin API key, as env:NAME or file:PATH."),
            KeyShape(
                "base_url", .value(.url), default: "https://api.thinkific.com/api/public/v1", "Admin API base URL."),
            KeyShape("requests_per_minute", .value(.integer(minimum: 1)), default: "120", "Client-side rate limit."),
        ])

    static let scimConnection = ObjectShape(
        "SCIM connection",
        keys: [
            KeyShape("scim", .value(.url), required: true, "SCIM 2.0 base URL (…/scim/v2)."),
            KeyShape("token", .value(.secret), required: true, "Bearer token, as env:NAME or file:PATH."),
            KeyShape("requests_per_minute", .value(.integer(minimum: 1)), "Client-side rate limit."),
            KeyShape(
                "filter", .value(.choice(SCIMFilterSupport.allCases.map(\.rawValue))), default: "auto",
                "Filters the app supports: auto (read ServiceProviderConfig), ew, eq or none."),
            KeyShape(
                "user_name", .value(.choice(["mutable", "immutable"])), default: "mutable",
                "Whether the app lets a userName change (immutable: an email change updates only the email)."),
        ])

    static let removal = SpecShape.value(.choice(RemovalPolicy.allCases.map(\.rawValue)))

    static let defaults = ObjectShape(
        "defaults",
        keys: [
            KeyShape("removal", removal, default: "expire", "What losing access means: expire, deactivate, keep or delete."),
            KeyShape("safety", .object(safety), "Guards against plans that would do harm."),
        ])

    static let safety = ObjectShape(
        "safety",
        keys: [
            KeyShape(
                "max_removals", .value(.percentOrCount), default: "10%",
                "Most removals a plan may make without an override: a percentage of provisioned people, or a count.")
        ])

    // MARK: - tenants/<id>.yaml

    public static let tenant = SpecShape.object(
        ObjectShape(
            "tenant",
            keys: [
                KeyShape("tenant", .value(.identifier), required: true, "Stable id; equals the file name."),
                KeyShape("name", .value(.text), required: true, "The client's display name."),
                KeyShape(
                    "domains", .list(of: .value(.domain), noun: "domain", isUnique: true, minCount: 1), required: true,
                    "Email domains the client owns."),
                KeyShape("sso", .object(sso), required: true, "How the client's people sign in."),
                KeyShape(
                    "directory", .value(.choice(DirectorySource.allCases.map(\.rawValue))), required: true,
                    "Where people come from: workos (Directory Sync) or none (rosters only)."),
                KeyShape("seats", .value(.integer(minimum: 1)), required: true, "Licensed seats."),
                KeyShape("program", .object(program), required: true, "Programme dates."),
                KeyShape("removal", removal, "Overrides defaults.removal for this tenant."),
                KeyShape(
                    "adopt", .object(adopt),
                    "Destinations whose existing people stoicprov may take access from although it did not provision them."),
                KeyShape("access", .object(access), required: true, "Access rules by name."),
                KeyShape(
                    "rosters", .list(of: .object(roster), noun: "roster"),
                    "CSV files of people who get an access rule regardless of the directory."),
            ]))

    static let sso = ObjectShape(
        "sso",
        keys: [
            KeyShape(
                "provider", .value(.choice(SSOProvider.allCases.map(\.rawValue))), required: true,
                "The identity provider behind WorkOS SSO.")
        ])

    static let program = ObjectShape(
        "program",
        keys: [
            KeyShape("starts", .value(.date), required: true, "First day: enrollments activate."),
            KeyShape("ends", .value(.date), required: true, "Last day: enrollments expire after it."),
        ])

    static let adopt = ObjectShape(
        "adopt", keys: [],
        entries: EntryShape(
            "adopted destination", .object(adoptedDestination),
            "thinkific, or a SCIM connection: what stoicprov may take away there although it did not provision it."))

    static let adoptedDestination = ObjectShape(
        "adopted destination",
        keys: [
            KeyShape(
                "existing", .value(.boolean), required: true,
                "true: the tenant's people already there are managed like the ones stoicprov provisioned.")
        ])

    static let access = ObjectShape(
        "access", keys: [],
        entries: EntryShape(
            "access rule", .object(accessRule), "Who gets what: IdP groups mapped to grants in each destination."))

    static let accessRule = ObjectShape(
        "access rule",
        keys: [
            KeyShape(
                "idp_groups", .list(of: .value(.text), noun: "IdP group", isUnique: true),
                "Directory groups whose members get this rule (needs directory: workos)."),
            KeyShape(
                "sso_sign_in", .value(.boolean),
                "true: everyone who signs in through the tenant's SSO connection gets this rule (needs sso.provider and a"
                    + " thinkific grant, where the grant is recorded)."),
            KeyShape("thinkific", .object(thinkificGrant), "Courses and groups in Thinkific."),
        ],
        entries: EntryShape("SCIM grant", .object(scimGrant), "Groups in the SCIM connection of this name."))

    static let thinkificGrant = ObjectShape(
        "thinkific grant",
        keys: [
            KeyShape(
                "courses", .list(of: .value(.slug), noun: "course", isUnique: true), "Course slugs to enroll people in."),
            KeyShape("groups", .list(of: .value(.text), noun: "group", isUnique: true), "Thinkific groups to add people to."),
        ])

    static let scimGrant = ObjectShape(
        "SCIM grant",
        keys: [
            KeyShape("groups", .list(of: .value(.text), noun: "group", isUnique: true), required: true, "SCIM groups.")
        ])

    static let roster = ObjectShape(
        "roster",
        keys: [
            KeyShape(
                "file", .value(.text), required: true,
                "CSV path relative to the tenant file; columns email, first_name, last_name."),
            KeyShape("access", .value(.identifier), required: true, "The access rule every row gets."),
        ])
}
