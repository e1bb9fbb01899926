import Foundation

/// A tenant read from its file, with what the workspace-wide rules need beyond the model.
struct TenantDraft: Sendable {
    var tenant: Tenant
    /// Whether `tenant.id` was written validly (so it may take part in duplicate checks).
    var hasValidID: Bool
    /// Each valid domain (lower-cased) and where it is written.
    var domains: [(domain: String, location: SourceLocation)]
}

/// Reads one tenant file's node tree into a `Tenant`, checking the rules local to that tenant: the id equals the
/// file name, programme dates are ordered, references to connections and access rules resolve, rosters read.
struct TenantReader {
    /// The tenant file as diagnostics name it.
    var file: String
    /// The workspace directory (as the user named it): every roster must resolve inside it.
    var root: String
    /// The configuration's connections, when `stoicprov.yaml` could be read; references are checked against them.
    var connections: Connections?
    private(set) var diagnostics = Diagnostics()
    /// Where values that may be secrets start, so snippets can hide them.
    private(set) var redactions: [SourceLocation] = []
    /// Path → text of every roster read, for the workspace digest (never for snippets: a CSV is not echoed).
    private(set) var texts: [String: String] = [:]

    init(file: String, root: String, connections: Connections?) {
        self.file = file
        self.root = root
        self.connections = connections
    }

    mutating func read(_ node: Node) -> TenantDraft {
        var check = ShapeCheck()
        check.check(node, against: .tenant, key: "tenant")
        diagnostics.append(contentsOf: check.diagnostics)
        redactions = check.redactions

        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let idNode = node["tenant"]
        let id = idNode?.string ?? stem
        let hasValidID = Format.isIdentifier(id)
        if let idNode, hasValidID, id != stem {
            diagnostics.append(.tenantIDMismatch(id, fileStem: stem, at: idNode.location))
        }

        var domains: [(domain: String, location: SourceLocation)] = []
        for item in node["domains"]?.items ?? [] {
            if let text = item.string, Format.isDomain(text) { domains.append((text.lowercased(), item.location)) }
        }

        let directory = node["directory"]?.string.flatMap(DirectorySource.init(rawValue:)) ?? .none
        let programNode = node["program"]
        let program = readProgram(programNode)
        let sso = node["sso"]?["provider"]?.string.flatMap(SSOProvider.init(rawValue:)) ?? .none
        let access = readAccess(node["access"], directory: directory)
        checkSignInRules(node["access"], access: access, sso: sso)
        var tenant = Tenant(
            id: id, name: node["name"]?.string ?? id, domains: domains.map(\.domain), sso: sso,
            directory: directory, seats: node["seats"]?.int ?? 0, program: program,
            removal: node["removal"]?.string.flatMap(RemovalPolicy.init(rawValue:)), access: access, file: file,
            locations: Tenant.Locations(
                tenant: idNode?.location ?? node.location, seats: node["seats"]?.location ?? node.location,
                program: programNode?.location ?? node.location))
        tenant.rosters = readRosters(node["rosters"], tenant: tenant)
        tenant.adopted = readAdopt(node["adopt"])
        warnAboutUnusedRules(tenant)
        return TenantDraft(tenant: tenant, hasValidID: hasValidID, domains: domains)
    }

    // MARK: - Program

    private mutating func readProgram(_ node: Node?) -> Program {
        let starts = node?["starts"]?.string.flatMap(CalendarDate.init)
        let ends = node?["ends"]?.string.flatMap(CalendarDate.init)
        if let starts, let ends, ends < starts, let endsNode = node?["ends"] {
            diagnostics.append(.programEndsBeforeStart(ends: ends, starts: starts, at: endsNode.location))
        }
        let placeholder = CalendarDate(year: 1970, month: 1, day: 1)
        return Program(starts: starts ?? placeholder, ends: ends ?? starts ?? placeholder)
    }

    // MARK: - Access rules

    private mutating func readAccess(_ node: Node?, directory: DirectorySource) -> [AccessRule] {
        var rules: [AccessRule] = []
        for pair in node?.pairs ?? [] {
            guard let name = pair.key.string, pair.value.pairs != nil || pair.value.isNull else { continue }
            let ruleNode = pair.value
            let idpGroupsNode = ruleNode["idp_groups"]
            let idpGroups = idpGroupsNode?.items?.compactMap(\.string) ?? []
            if directory == .none, let idpGroupsNode, !idpGroups.isEmpty {
                diagnostics.append(.idpGroupsWithoutDirectory(rule: name, at: idpGroupsNode.location))
            }
            var thinkific: ThinkificGrant?
            var scim: [SCIMGrant] = []
            for grant in ruleNode.pairs ?? [] {
                guard let destination = grant.key.string, !Self.ruleKeys.contains(destination) else { continue }
                if destination == "thinkific" {
                    thinkific = ThinkificGrant(
                        courses: grant.value["courses"]?.items?.compactMap(\.string) ?? [],
                        groups: grant.value["groups"]?.items?.compactMap(\.string) ?? [])
                    if let connections, connections.thinkific == nil {
                        diagnostics.append(
                            .unknownConnection(
                                "thinkific", rule: name, known: connections.destinationNames,
                                at: grant.key.location))
                    }
                    continue
                }
                guard grant.value["groups"] != nil else { continue }  // a typo of a known key, already reported
                scim.append(
                    SCIMGrant(connection: destination, groups: grant.value["groups"]?.items?.compactMap(\.string) ?? []))
                if let connections, connections.scim(named: destination) == nil {
                    diagnostics.append(
                        .unknownConnection(
                            destination, rule: name, known: connections.destinationNames,
                            at: grant.key.location))
                }
            }
            let rule = AccessRule(
                name: name, idpGroups: idpGroups, ssoSignIn: ruleNode["sso_sign_in"]?.bool ?? false, thinkific: thinkific,
                scim: scim, location: pair.key.location)
            if !rule.grantsSomething {
                diagnostics.append(.emptyGrant(rule: name, at: pair.key.location))
            }
            rules.append(rule)
        }
        return rules
    }

    /// An access rule's own keys (the others name destinations).
    static let ruleKeys: Set = ["idp_groups", "sso_sign_in"]

    /// A sign-in rule needs an SSO connection to sign in through, and a Thinkific grant: the Thinkific user is where a
    /// sign-in grant is recorded once its event ages out of WorkOS (docs/spec.md, "Grant on sign-in").
    private mutating func checkSignInRules(_ node: Node?, access: [AccessRule], sso: SSOProvider) {
        for rule in access where rule.ssoSignIn {
            let location = node?[rule.name]?["sso_sign_in"]?.location ?? rule.location
            if sso == .none { diagnostics.append(.signInWithoutSSO(rule: rule.name, at: location)) }
            let thinkific = rule.thinkific
            if (thinkific?.courses.isEmpty ?? true) && (thinkific?.groups.isEmpty ?? true) {
                diagnostics.append(.signInWithoutThinkific(rule: rule.name, at: location))
            }
        }
    }

    /// A rule nobody can get (no IdP groups it can match, no roster naming it) is probably a mistake.
    private mutating func warnAboutUnusedRules(_ tenant: Tenant) {
        let rostered = Set(tenant.rosters.map(\.access))
        for rule in tenant.access where !rostered.contains(rule.name) && !rule.ssoSignIn {
            if rule.idpGroups.isEmpty || tenant.directory == .none {
                diagnostics.append(.unusedAccessRule(rule: rule.name, at: rule.location))
            }
        }
    }

    // MARK: - Adoption

    /// `adopt: { <destination>: { existing: true } }`: each destination must be `thinkific` or a SCIM connection.
    private mutating func readAdopt(_ node: Node?) -> Set<String> {
        var adopted: Set<String> = []
        for pair in node?.pairs ?? [] {
            guard let destination = pair.key.string, pair.value["existing"]?.bool == true else { continue }
            if let connections {
                let known =
                    destination == "thinkific" ? connections.thinkific != nil : connections.scim(named: destination) != nil
                if !known {
                    diagnostics.append(
                        .unknownAdoptedDestination(destination, known: connections.destinationNames, at: pair.key.location))
                    continue
                }
            }
            adopted.insert(destination)
        }
        return adopted
    }

    // MARK: - Rosters

    private mutating func readRosters(_ node: Node?, tenant: Tenant) -> [Roster] {
        var rosters: [Roster] = []
        for item in node?.items ?? [] {
            guard let fileNode = item["file"], let written = fileNode.string, !written.isEmpty,
                let accessNode = item["access"], let access = accessNode.string
            else { continue }
            if tenant.rule(named: access) == nil, Format.isIdentifier(access) {
                diagnostics.append(
                    .unknownAccessRule(access, known: tenant.access.map(\.name), at: accessNode.location))
            }
            let path = RosterReader.path(of: written, relativeTo: file)
            let data: Data
            switch readRoster(written, path: path) {
            case .success(let read): data = read
            case .failure(.notFound):
                diagnostics.append(.rosterNotFound(written, resolved: path, at: fileNode.location))
                continue
            case .failure(let problem):
                diagnostics.append(.rosterUnreadable(written, problem: problem, at: fileNode.location))
                continue
            }
            texts[path] = String(decoding: data, as: UTF8.self)
            var reader = RosterReader(path: path, access: access, tenant: tenant)
            let entries = reader.read(data)
            diagnostics.append(contentsOf: reader.diagnostics)
            rosters.append(Roster(file: written, path: path, access: access, entries: entries, location: item.location))
        }
        return rosters
    }

    /// Reads a roster that must stay inside the workspace: no absolute path, no `..` out of it (the tenant file is in
    /// `tenants/`), no symbolic link leading out; only a regular file of at most `RosterReader.maxBytes`.
    private func readRoster(_ written: String, path: String) -> Result<Data, FileProblem> {
        if written.hasPrefix("/") { return .failure(.absolutePath) }
        let inWorkspace = RosterReader.normalize("tenants/" + written)
        if inWorkspace == ".." || inWorkspace.hasPrefix("../") { return .failure(.climbsOutOfWorkspace) }
        return WorkspaceLoader.readInside(path, root: root, maxBytes: RosterReader.maxBytes)
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func tenantIDMismatch(_ id: String, fileStem: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "tenant-id-mismatch",
            "tenant id '\(id)' must equal the file name '\(fileStem)': rename the file to \(id).yaml or change the id",
            at: location)
    }

    static func programEndsBeforeStart(
        ends: CalendarDate, starts: CalendarDate, at location: SourceLocation
    )
        -> Diagnostic
    {
        .error("program-ends-before-start", "program ends \(ends), before it starts (\(starts))", at: location)
    }

    static func idpGroupsWithoutDirectory(rule: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "idp-groups-without-directory",
            "access rule '\(rule)' maps idp_groups, but the tenant has directory: none; use directory: workos or rosters",
            at: location)
    }

    static func signInWithoutSSO(rule: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "sign-in-without-sso",
            "access rule '\(rule)' grants on SSO sign-in, but the tenant has sso.provider: none; name its identity provider",
            at: location)
    }

    static func signInWithoutThinkific(rule: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "sign-in-without-thinkific",
            "access rule '\(rule)' grants on SSO sign-in but grants no Thinkific course or group; a sign-in grant is recorded"
                + " on the person's Thinkific user, so the rule needs one",
            at: location)
    }

    static func unknownConnection(
        _ name: String, rule: String, known: [String], at location: SourceLocation
    )
        -> Diagnostic
    {
        let hint =
            Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" }
            ?? (known.isEmpty ? "" : " (connections: \(known.joined(separator: ", ")))")
        return .error(
            "unknown-connection",
            "access rule '\(rule)' grants through '\(name)', which is not a connection in stoicprov.yaml\(hint)",
            at: location)
    }

    static func unknownAdoptedDestination(_ name: String, known: [String], at location: SourceLocation) -> Diagnostic {
        let hint =
            Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" }
            ?? (known.isEmpty ? "" : " (connections: \(known.joined(separator: ", ")))")
        return .error(
            "unknown-connection", "adopt names '\(name)', which is not a connection in stoicprov.yaml\(hint)", at: location)
    }

    static func emptyGrant(rule: String, at location: SourceLocation) -> Diagnostic {
        .warning("empty-grant", "access rule '\(rule)' grants nothing: no courses or groups in any destination", at: location)
    }

    static func unusedAccessRule(rule: String, at location: SourceLocation) -> Diagnostic {
        .warning(
            "unused-access-rule", "access rule '\(rule)' applies to nobody: no idp_groups it can match and no roster names it",
            at: location)
    }

    static func unknownAccessRule(_ name: String, known: [String], at location: SourceLocation) -> Diagnostic {
        let hint =
            Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" }
            ?? (known.isEmpty ? "" : " (rules: \(known.joined(separator: ", ")))")
        return .error(
            "unknown-access-rule", "roster names access rule '\(name)', which this tenant does not define\(hint)", at: location)
    }

    static func rosterNotFound(_ written: String, resolved: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "roster-not-found",
            "roster file '\(Excerpt.quote(written, limit: 256))' not found (looked for \(Excerpt.quote(resolved, limit: 256)))",
            at: location)
    }

    /// A roster outside the workspace, or one that is not a readable regular file.
    static func rosterUnreadable(_ written: String, problem: FileProblem, at location: SourceLocation) -> Diagnostic {
        let code: String
        switch problem {
        case _ where problem.leavesWorkspace: code = "path-outside-workspace"
        case .tooLarge: code = "file-too-large"
        default: code = "file-unreadable"
        }
        return .error(code, "roster file \(problem.message(path: "'\(Excerpt.quote(written, limit: 256))'"))", at: location)
    }
}
