import Foundation
import Synchronization

/// How a sandbox SCIM app departs from the kind default, to imitate what real providers document
/// (`stoicprov sandbox --profile scim=NAME`, `scim:APP=NAME`; docs/sandbox.md "SCIM provider profiles").
public struct SCIMProfile: Sendable, Hashable {
    /// Which filters the app understands.
    public enum Filters: Sendable, Hashable {
        /// The whole RFC 7644 grammar (the default).
        case full
        /// `eq` comparisons joined by `and` (value paths included); anything else is refused with 400 `invalidFilter`.
        case eqOnlyRefusing
        /// `eq` only; anything else is answered 200 with no results, as if nobody matched.
        case eqOnlyIgnoring
    }

    public var filters = Filters.full
    /// Groups come without `members` in list and get answers, and users without `groups`.
    public var omitsMembers = false
    /// A PATCH or PUT that changes `userName` is refused (400 `mutability`).
    public var immutableUserName = false
    /// The largest page a listing returns, whatever `count` asks (also `ServiceProviderConfig`'s `maxResults`).
    public var maxResults = SCIMStore.maxResults
    /// PATCH answers 204 with no body instead of 200 with the resource.
    public var patchAnswers204 = false
    /// Members added to a group show in the group's (and the user's) answers only this many seconds later.
    public var membershipDelay: Double = 0

    public init() {}

    /// The kind default: everything RFC 7644 allows, answered at once.
    public static let kind = SCIMProfile()

    /// Every profile name, in the order docs/sandbox.md lists them.
    public static let names = [
        "kind", "eq-only", "eq-only-empty", "no-members", "immutable-username", "count-100", "patch-204",
        "delayed-membership", "strict",
    ]

    /// Adds the behaviour `name` stands for; `false` for an unknown name.
    public mutating func add(_ name: String) -> Bool {
        switch name {
        case "kind": self = .kind
        case "eq-only": filters = .eqOnlyRefusing
        case "eq-only-empty": filters = .eqOnlyIgnoring
        case "no-members": omitsMembers = true
        case "immutable-username": immutableUserName = true
        case "count-100": maxResults = 100
        case "patch-204": patchAnswers204 = true
        case "delayed-membership": membershipDelay = Self.defaultMembershipDelay
        case "strict":
            for part in ["eq-only", "no-members", "immutable-username", "count-100", "patch-204"] { _ = add(part) }
        default: return false
        }
        return true
    }

    /// Seconds before an added member shows, under `delayed-membership`.
    public static let defaultMembershipDelay: Double = 2

    /// Whether a parsed filter stays within what this profile understands.
    func understands(_ filter: SCIMFilter) -> Bool {
        switch filters {
        case .full: true
        case .eqOnlyRefusing, .eqOnlyIgnoring: filter.isEqualityOnly
        }
    }
}

/// The SCIM profiles of a sandbox: one for every app, and per app on top of it.
public struct SCIMProfiles: Sendable, Hashable {
    public var all = SCIMProfile.kind
    public var perApp: [String: [String]] = [:]
    private var allNames: [String] = []

    public init() {}

    public static let none = SCIMProfiles()

    /// The profile of `app`: the names given for every app, then those given for it.
    public func profile(for app: String) -> SCIMProfile {
        var profile = SCIMProfile.kind
        for name in allNames + (perApp[app] ?? []) { _ = profile.add(name) }
        return profile
    }

    /// Reads the SCIM entries of `--profile SURFACE=NAME[,…]`: `scim=NAME` for every app, `scim:APP=NAME` for one.
    /// Entries for other surfaces are left to their own parsers and returned.
    public mutating func parse(_ text: String) throws(SandboxError) -> [String] {
        var others: [String] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "scim" || parts[0].hasPrefix("scim:") else {
                others.append(entry)
                continue
            }
            var probe = SCIMProfile.kind
            guard probe.add(parts[1]) else {
                throw .setting(
                    name: "profile",
                    reason: "unknown SCIM profile '\(parts[1])' (known: \(SCIMProfile.names.joined(separator: ", ")))")
            }
            if parts[0] == "scim" {
                allNames.append(parts[1])
            } else {
                let app = String(parts[0].dropFirst("scim:".count))
                guard !app.isEmpty else { throw .setting(name: "profile", reason: "'\(entry)' names no app after 'scim:'") }
                perApp[app, default: []].append(parts[1])
            }
        }
        return others
    }
}

extension SCIMFilter {
    /// Only `eq` comparisons, joined by `and`, possibly inside a value path (`members[value eq "x"]`): what
    /// eq-only providers (IAM Identity Center) accept.
    var isEqualityOnly: Bool {
        switch self {
        case .and(let left, let right): left.isEqualityOnly && right.isEqualityOnly
        case .compare(_, let op, _): op == .eq
        case .valuePath(_, let inner): inner.isEqualityOnly
        case .or, .not, .present: false
        }
    }
}

/// Members added under `delayed-membership`, hidden until their time comes (monotonic time, whatever the clock).
final class PendingMembers: Sendable {
    private let visibleAt = Mutex<[String: ContinuousClock.Instant]>([:])

    private static func key(_ group: String, _ member: String) -> String { group + "\u{0}" + member }

    func add(group: String, members: [String], after seconds: Double) {
        let at = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        visibleAt.withLock { pending in
            for member in members { pending[Self.key(group, member)] = at }
        }
    }

    func isHidden(group: String, member: String) -> Bool {
        visibleAt.withLock { pending in
            guard let at = pending[Self.key(group, member)] else { return false }
            if at <= ContinuousClock.now {
                pending[Self.key(group, member)] = nil
                return false
            }
            return true
        }
    }
}
