/// The fingerprint of every live object an observation saw, by precondition key.
///
/// Keys name objects the way changes talk about them: `workos/organization/<tenant>`, `directory/person/<email>`,
/// `thinkific/user/<email>`, `thinkific/group/<name>`, `thinkific/enrollment/<email>/<course slug>`,
/// `thinkific/membership/<email>/<group>`, `scim/<app>/user/<userName>`, `scim/<app>/group/<name>`,
/// `scim/<app>/member/<group>/<userName>`. Emails and userNames are lower-cased. A key that is not in the index
/// was absent. Planning and the staleness check of apply both use this one function, so they cannot drift apart.
public struct ObservationIndex: Sendable, Hashable {
    public private(set) var fingerprints: [String: String] = [:]

    public init(_ observation: ObservedTenant) {
        if let directory = observation.directory {
            if let organization = directory.organization {
                fingerprints[ObjectKey.organization(observation.tenant)] = fingerprint(
                    organization.id, organization.name,
                    organization.domains.map { $0.domain.lowercased() }.sorted().joined(separator: ","))
            }
            for person in directory.users {
                guard let email = person.email?.lowercased() else { continue }
                fingerprints[ObjectKey.person(email)] = fingerprint(
                    person.idpID, person.email ?? "", person.state, person.groups.sorted().joined(separator: ","))
            }
        }
        if let thinkific = observation.thinkific {
            var emails: [Int: String] = [:]
            for user in thinkific.users {
                emails[user.id] = user.email.lowercased()
                fingerprints[ObjectKey.thinkificUser(user.email.lowercased())] = fingerprint(String(user.id), user.email)
            }
            var slugs: [Int: String] = [:]
            for course in thinkific.courses { slugs[course.id] = course.slug ?? String(course.id) }
            for group in thinkific.groups {
                fingerprints[ObjectKey.thinkificGroup(group.name)] = fingerprint(String(group.id))
            }
            for enrollment in thinkific.enrollments {
                let email = emails[enrollment.userID] ?? enrollment.userEmail.lowercased()
                let slug = slugs[enrollment.courseID] ?? String(enrollment.courseID)
                fingerprints[ObjectKey.enrollment(email, slug)] = fingerprint(
                    String(enrollment.id), enrollment.activatedAt ?? "", enrollment.expiryDate ?? "",
                    enrollment.isExpired ? "expired" : "", enrollment.isFreeTrial ? "trial" : "")
            }
            for members in thinkific.groupMembers {
                for userID in members.userIDs {
                    guard let email = emails[userID] else { continue }
                    fingerprints[ObjectKey.membership(email, members.groupName)] = "member"
                }
            }
        }
        for app in observation.scimApps {
            var userNames: [String: String] = [:]
            for user in app.users {
                userNames[user.id] = user.userName.lowercased()
                fingerprints[ObjectKey.scimUser(app.app, user.userName.lowercased())] = fingerprint(
                    user.id, user.userName, user.externalID ?? "", user.active ? "active" : "inactive", user.email ?? "",
                    user.givenName ?? "", user.familyName ?? "")
            }
            for group in app.groups {
                fingerprints[ObjectKey.scimGroup(app.app, group.displayName)] = fingerprint(group.id)
                for memberID in group.memberIDs {
                    guard let userName = userNames[memberID] else { continue }
                    fingerprints[ObjectKey.scimMember(app.app, group.displayName, userName)] = "member"
                }
            }
        }
    }

    public subscript(key: String) -> String? { fingerprints[key] }

    /// The precondition "`key` is as observed".
    func precondition(_ key: String) -> Precondition {
        Precondition(key: key, observed: fingerprints[key])
    }
}

/// A short fingerprint of an object's relevant fields: 64-bit FNV-1a as 16 hex digits. Not cryptographic — it only
/// has to notice that something changed between plan and apply.
func fingerprint(_ parts: String...) -> String {
    var hash = FNV1a()
    for part in parts { hash.add(part) }
    return hash.hex
}

struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        // A separator byte that cannot occur in UTF-8, so ("ab", "c") and ("a", "bc") differ.
        value ^= 0xff
        value &*= 0x0000_0100_0000_01b3
    }

    var hex: String { FNV1a.hex(value) }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
