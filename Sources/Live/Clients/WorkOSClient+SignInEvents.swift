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
    /// oldest first: `GET /events?events=authentication.sso_succeeded&organization_id=…`, following `after`, within
    /// `limits`; with `since`, only those created from then on (`range_start`). The one reader of sign-in events
    /// behind `plan`/`apply`; events of other types are skipped. Cost: one request per 100 sign-ins.
    public func signInEvents(organizationID: String, since: Date? = nil) async throws(LiveError) -> [WorkOSSignInEvent] {
        var filter = [("events", Self.signInEventType), ("organization_id", organizationID), ("order", "asc")]
        if let since { filter.append(("range_start", Instant(since).iso)) }
        let events = try await listAll(WireSignInEvent.self, "/events", filter: filter)
        return events.compactMap(\.event)
    }
}

/// An event as `/events` lists it, decoded only as far as a sign-in needs; other types decode to `nil`.
struct WireSignInEvent: Decodable, Sendable {
    var event: WorkOSSignInEvent?

    enum CodingKeys: String, CodingKey {
        case id, event, data, createdAt = "created_at"
    }

    struct Data: Decodable, Sendable {
        var email: String?
        var sso: SSO?
    }

    struct SSO: Decodable, Sendable {
        var organizationID: String?
        var connectionID: String?

        enum CodingKeys: String, CodingKey {
            case organizationID = "organization_id", connectionID = "connection_id"
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = container.decodeText(.event)
        guard type == WorkOSClient.signInEventType, let id = container.decodeText(.id),
            let data = try? container.decode(Data.self, forKey: .data), let email = data.email, email.contains("@")
        else {
            event = nil
            return
        }
        event = WorkOSSignInEvent(
            id: id, email: email, organizationID: data.sso?.organizationID, connectionID: data.sso?.connectionID,
            createdAt: container.decodeText(.createdAt) ?? "")
    }
}
