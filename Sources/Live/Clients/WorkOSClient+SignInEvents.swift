import Foundation
import Planner

/// One `authentication.sso_succeeded` event: a person signed in through an organization's SSO connection.
public struct WorkOSSignInEvent: Sendable, Hashable {
    public var id: String
    public var email: String
    /// `data.sso.organization_id` and `data.sso.connection_id` (either may be null in the vendor's schema).
    public var organizationID: String?
    public var connectionID: String?
    /// `created_at` as sent (ISO 8601).
    public var createdAt: String

    public init(id: String, email: String, organizationID: String?, connectionID: String?, createdAt: String) {
        self.id = id
        self.email = email
        self.organizationID = organizationID
        self.connectionID = connectionID
        self.createdAt = createdAt
    }

    /// The sign-in, when the event went through one of `connections` of `organizationID` (`nil` otherwise: a
    /// sign-in through another organization's connection grants nothing here).
    public func signIn(organizationID: String, connections: Set<String>) -> SignIn? {
        guard self.organizationID == organizationID, let connectionID, connections.contains(connectionID) else { return nil }
        return SignIn(email: email, at: Instant(parsing: createdAt))
    }
}

extension WorkOSClient {
    /// The event type of a successful SSO sign-in.
    public static let signInEventType = "authentication.sso_succeeded"

    /// Every `authentication.sso_succeeded` event of one organization that the events API still keeps (its retention),
    /// oldest first, read through the one events reader (`events(_:maxEvents:)`): `GET /events?events=
    /// authentication.sso_succeeded&organization_id=…`, following `after`; with `since`, only those created from then
    /// on (`range_start`). More than `limits.maxPages` pages of them is `listingOutOfBounds`, never a silent cut.
    /// Events without an email are skipped. Cost: one request per 100 sign-ins.
    public func signInEvents(organizationID: String, since: Date? = nil) async throws(LiveError) -> [WorkOSSignInEvent] {
        let bound = limits.maxPages * Self.pageSize
        let query = WorkOSEventQuery(
            types: [Self.signInEventType], rangeStart: since.map { Instant($0).iso }, organizationID: organizationID)
        let events = try await events(query, maxEvents: bound + 1)
        guard events.count <= bound else {
            throw ListingBudget(limits, connection: channel.name, path: "/events").failure("more than \(bound) sign-in events")
        }
        return events.compactMap { event in
            guard event.type == Self.signInEventType, let email = event.email, email.contains("@") else { return nil }
            return WorkOSSignInEvent(
                id: event.id, email: email, organizationID: event.organizationID, connectionID: event.connectionID,
                createdAt: event.createdAt)
        }
    }
}
