import Spec

/// A person who signed in through a tenant's SSO connection: the input of a sign-in grant (`sso_sign_in: true`).
///
/// Sign-ins reach the planner three ways: from the WorkOS events still within retention (`authentication.sso_succeeded`,
/// read by the observer into `ObservedTenant.signIns`), from the caller (the reconcile loop, through
/// `Planner.plan(signIns:)`), and from the durable record — a Thinkific user whose `external_source` is
/// `SignIn.marker(tenant:)`, which apply writes when it provisions a sign-in grantee. The record outlives the event.
public struct SignIn: Sendable, Hashable {
    /// Lower-cased.
    public var email: String
    public var firstName: String
    public var lastName: String
    /// When the person signed in; `nil` when only the durable record says so (the event aged out).
    public var at: Instant?

    public init(email: String, firstName: String, lastName: String, at: Instant?) {
        self.email = email.lowercased()
        self.firstName = firstName
        self.lastName = lastName
        self.at = at
    }

    /// A sign-in known only by its email (the event carries no names): names are taken from the email's local part,
    /// `ana.lopez@pg.com` → Ana Lopez, since Thinkific requires both (a single word is both first and last name).
    public init(email: String, at: Instant?) {
        let local = email.split(separator: "@").first.map(String.init) ?? email
        let words = local.split(whereSeparator: { ".-_+".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let first = words.first ?? local
        let last = words.count > 1 ? words.dropFirst().joined(separator: " ") : first
        self.init(email: email, firstName: first, lastName: last, at: at)
    }

    /// The Thinkific user's `external_source` that records a sign-in grant of `tenant`: the durable record.
    public static func marker(tenant: String) -> String { "stoicprov-sso:\(tenant)" }

    /// One sign-in per person: the earliest dated one wins over later ones and over the undated record; names from the
    /// first one. A sign-in whose email is not a valid address grants nothing (no system could deliver to it).
    static func merged(_ signIns: [SignIn]) -> [String: SignIn] {
        var byEmail: [String: SignIn] = [:]
        for signIn in signIns where EmailAddress.isValid(signIn.email) {
            guard var known = byEmail[signIn.email] else {
                byEmail[signIn.email] = signIn
                continue
            }
            if let at = signIn.at, known.at.map({ at < $0 }) ?? true { known.at = at }
            byEmail[signIn.email] = known
        }
        return byEmail
    }
}
