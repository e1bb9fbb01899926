import Foundation

// MARK: - The file

extension TenantScaffold {
    /// The tenant file. Free text (the name, group names) is written double-quoted with escapes, and comments only
    /// ever carry it on one line, so no answer can add a key or break out of a comment.
    public var text: String {
        var lines: [String] = []
        func add(_ line: String = "") { lines.append(line) }
        let client = Self.oneLine(name)

        add("# yaml-language-server: $schema=\(Self.oneLine(schemaPath))")
        add("#")
        add("# \(client): \(signInSummary)")
        add("# Drafted by `stoicprov new`. It validates as it stands, but every TODO below is a placeholder: fill them in")
        add("# before the first `stoicprov plan`. Every key is described in docs/spec.md.")
        add()
        add("# The stable id: the file name, the WorkOS organization's external_id, the lock name. Never change it.")
        add("tenant: \(id)")
        add("name: \(Self.quoted(name))")
        add("# Email domains \(client) owns: only people with an address in one of them belong to this tenant.")
        add("domains: [\(domains.joined(separator: ", "))]")
        add()
        for line in ssoComment { add("# " + line) }
        add("sso: { provider: \(provider.rawValue) }")
        for line in directoryComment { add("# " + line) }
        add("directory: \(directory.rawValue)")
        add()
        if seats == nil {
            add("# TODO: the licensed seats from the contract (this placeholder is deliberately small).")
        } else {
            add("# The licensed seats from the contract.")
        }
        add("# A plan that would entitle more people than this is refused.")
        add("seats: \(seats ?? Self.placeholderSeats)")
        add()
        add("# TODO: the programme dates. Enrollments activate on the first day and expire after the last.")
        add("program: { starts: \(program.starts), ends: \(program.ends) }")
        add()
        add("access:")
        add("  # Who gets what. One rule to start with; add a rule per audience (see the example after this one).")
        add("  learners:")
        accessRule(name: "learners", groupSuffix: "Learners", into: &lines)
        add()
        add("  # A second audience, say managers who also take Leading Teams, is another rule:")
        add("  # managers:")
        var example: [String] = []
        accessRule(name: "managers", groupSuffix: "Managers", into: &example, isExample: true)
        for line in example { add("  # " + line.dropFirst(2)) }
        add()
        for line in rosterComment { add(line) }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Access rule

    /// The lines of one access rule's body (indented four spaces). An example is terse: it goes into comments.
    private func accessRule(name rule: String, groupSuffix: String, into lines: inout [String], isExample: Bool = false) {
        let client = Self.oneLine(name)
        if directory == .workos {
            if !isExample {
                lines.append(
                    "    # TODO: the \(groupNoun) holding the programme's \(rule). Ask \(client)'s IT for its exact name")
                lines.append("    # (or ask them to create one with this name); names are matched exactly.")
            }
            lines.append("    idp_groups: [\(Self.quoted("Stoic \(groupSuffix)"))]")
        } else if !isExample {
            lines.append("    # directory: none, so nobody gets this rule until a roster names it (see rosters: below).")
        }
        let cohort = Self.quoted("\(name) \(program.starts.year)")
        for destination in destinations {
            if destination == "thinkific" {
                if isExample {
                    lines.append(
                        "    thinkific: { courses: [conscious-leadership-foundations, leading-teams], groups: [\(cohort)] }")
                    continue
                }
                lines.append("    thinkific:")
                lines.append("      # TODO: the slugs of the programme's courses (the last part of a course's URL), e.g.")
                lines.append("      # courses: [conscious-leadership-foundations]")
                lines.append("      courses: []")
                lines.append("      # The Thinkific group the cohort is reported as.")
                lines.append("      groups: [\(cohort)]")
            } else {
                if !isExample, destination == destinations.first(where: { $0 != "thinkific" }) {
                    lines.append(
                        "    # Groups in Stoic's SCIM apps (connections in stoicprov.yaml); drop the apps \(client) does not use."
                    )
                }
                lines.append("    \(destination): { groups: [\(rule)] }")
            }
        }
    }

    // MARK: - Comments

    private var signInSummary: String {
        let signIn = provider == .none ? "no single sign-on" : "signs in with \(providerName) through WorkOS SSO"
        let people =
            directory == .workos ? "people come from WorkOS Directory Sync" : "people come from rosters (CSV files) only"
        return "\(signIn); \(people)."
    }

    private var ssoComment: [String] {
        let client = Self.oneLine(name)
        if provider == .none {
            return ["No single sign-on: people sign in with Thinkific's own login."]
        }
        return [
            "\(client)'s IT connects \(providerName) in the WorkOS Admin Portal",
            "(`stoicprov describe \(id) --portal-link sso` makes the link to send them).",
        ]
    }

    private var directoryComment: [String] {
        switch directory {
        case .workos:
            [
                "WorkOS Directory Sync: members of the idp_groups below are in; leaving a group ends their access.",
                "IT sets the directory up in the Admin Portal too (`--portal-link dsync`).",
            ]
        case .none:
            ["No directory sync: people come only from the rosters listed at the end of this file."]
        }
    }

    private var rosterComment: [String] {
        let client = Self.oneLine(name)
        let header = [
            "# People not in the directory groups (an in-person cohort, say) can come from a CSV with the columns",
            "# email, first_name, last_name; every address must be in one of the domains above. Save it under rosters/",
            "# and uncomment:",
        ]
        let todo = [
            "# TODO: the people. Ask \(client)'s L&D team for a CSV with the columns email, first_name, last_name",
            "# (Excel's \"CSV UTF-8\" is fine; every address must be in one of the domains above), save it as",
            "# rosters/\(id).csv and uncomment:",
        ]
        return (directory == .none ? todo : header) + [
            "# rosters:", "#   - { file: ../rosters/\(id).csv, access: learners }",
        ]
    }

    private var providerName: String {
        switch provider {
        case .okta: "Okta"
        case .entra: "Entra ID"
        case .google: "Google Workspace"
        case .pingfederate: "PingFederate"
        case .genericSAML: "their SAML identity provider"
        case .none: "no identity provider"
        }
    }

    private var groupNoun: String {
        switch provider {
        case .okta: "Okta group"
        case .entra: "Entra ID security group"
        case .google: "Google group"
        default: "directory group"
        }
    }

    // MARK: - Quoting

    /// A YAML double-quoted scalar: backslash, quote and every control character escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
                {
                    result +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Text safe inside a `#` comment: line breaks and other control characters become spaces.
    static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029
                        || scalar.value == 0x85
                        ? " " : scalar
                }))
    }
}
