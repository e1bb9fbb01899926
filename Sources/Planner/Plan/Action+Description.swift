import Foundation

/// The one-line, human text of an action, as shown after `+`/`~`/`-` in every rendering of a plan:
/// `enroll ana@pg.com in conscious-leadership-foundations until 2026-12-18`. The destination is not repeated
/// (renderers group changes by destination).
extension Action: CustomStringConvertible {
    public var description: String { description(maskingEmails: false) }

    /// The one-line text; with `maskingEmails`, addresses become `a…@pg.com` and people's names are left out
    /// (a masked address next to a full name would hide nothing).
    public func description(maskingEmails: Bool) -> String {
        func person(_ email: String) -> String { maskingEmails ? EmailMask.mask(email) : email }
        func named(_ email: String, _ first: String, _ last: String) -> String {
            let name = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
            return maskingEmails || name.isEmpty ? person(email) : "\(email) (\(name))"
        }
        switch self {
        case .createOrganization(let externalID, let name, let domains):
            return "create organization \(externalID) (\(name); \(domains.joined(separator: ", ")))"
        case .updateOrganization(let id, let name, let domains):
            return "update organization \(id) (\(name); \(domains.joined(separator: ", ")))"
        case .createThinkificUser(let email, let firstName, let lastName):
            return "create user \(named(email, firstName, lastName))"
        case .updateThinkificUser(let userID, let email, let firstName, let lastName):
            return "update user #\(userID) to \(named(email, firstName, lastName))"
        case .recordThinkificSignIn(let email, _, _):
            return "record \(person(email))'s SSO sign-in on the Thinkific user"
        case .createThinkificGroup(let name):
            return "create Thinkific group \(quoted(name))"
        case .addToThinkificGroups(let email, _, let groups):
            return "add \(person(email)) to Thinkific groups \(groups.map(quoted).joined(separator: ", "))"
        case .enroll(let email, _, let courseSlug, _, _, let expiryDate):
            return "enroll \(person(email)) in \(courseSlug)" + (expiryDate.map { " until \(day($0))" } ?? "")
        case .updateEnrollment(let email, _, let courseSlug, let activatedAt, let expiryDate, let previousExpiry):
            return Self.enrollmentUpdate(
                "\(person(email)) in \(courseSlug)", activatedAt: activatedAt, expiryDate: expiryDate,
                previousExpiry: previousExpiry)
        case .expireEnrollment(let email, _, let courseSlug, _):
            return "expire \(person(email)) in \(courseSlug)"
        case .createSCIMUser(_, let userName, _, let givenName, let familyName):
            return "create user \(named(userName, givenName, familyName))"
        case .updateSCIMUser(_, _, let userName, _, let givenName, let familyName, let active, let changed):
            let parts = Self.updatedParts(changed, active: active)
            return "update user \(named(userName, givenName, familyName))"
                + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
        case .deactivateSCIMUser(_, _, let userName):
            return "deactivate \(person(userName))"
        case .deleteSCIMUser(_, _, let userName):
            return "delete \(person(userName))"
        case .createSCIMGroup(_, let displayName):
            return "create group \(displayName)"
        case .addSCIMMember(_, let group, _, let userName, _):
            return "add \(person(userName)) to group \(group)"
        case .removeSCIMMember(_, let group, _, let userName, _):
            return "remove \(person(userName)) from group \(group)"
        }
    }
}

extension Action {
    /// `extend ana@pg.com in leading-teams: expiry 2026-12-18 → 2027-01-31`: the verb says which way the expiry moves.
    fileprivate static func enrollmentUpdate(
        _ subject: String, activatedAt: String?, expiryDate: String?, previousExpiry: String?
    ) -> String {
        var verb = "update"
        if let expiryDate, let previousExpiry {
            // Calendar days and ISO-8601 instants both compare correctly as text.
            verb = expiryDate > previousExpiry ? "extend" : expiryDate < previousExpiry ? "shorten" : "update"
        }
        var details: [String] = []
        if let activatedAt { details.append("activated \(day(activatedAt))") }
        if expiryDate != previousExpiry {
            details.append("expiry \(previousExpiry.map(day) ?? "none") → \(expiryDate.map(day) ?? "none")")
        }
        return "\(verb) \(subject)" + (details.isEmpty ? "" : ": " + details.joined(separator: ", "))
    }

    /// What a SCIM user update sets, in words, each once: `userName, email, name`.
    fileprivate static func updatedParts(_ changed: [SCIMUserAttribute], active: Bool) -> [String] {
        var parts: [String] = []
        for attribute in changed {
            let part =
                switch attribute {
                case .userName: "userName"
                case .email: "email"
                case .givenName, .familyName: "name"
                case .externalID: "externalId"
                case .active: active ? "reactivate" : "inactive"
                }
            if !parts.contains(part) { parts.append(part) }
        }
        return parts
    }
}

private func quoted(_ name: String) -> String { "\"\(name)\"" }

/// A programme boundary instant (`2026-12-18T23:59:59Z`, `2026-05-04T00:00:00Z`) as the calendar day a reader knows
/// it by; any other instant as written.
private func day(_ instant: String) -> String {
    let pattern = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T(00:00:00|23:59:59)(\.0+)?Z$"#
    return instant.range(of: pattern, options: .regularExpression) != nil ? String(instant.prefix(10)) : instant
}
