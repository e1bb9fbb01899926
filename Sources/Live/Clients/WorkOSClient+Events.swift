import Foundation
import Planner

/// One event of the WorkOS Events API (`GET /events`), reduced to what the orchestrator routes on. Everything in
/// `data` is optional: an event whose data lacks a field is still an event (routed to a full reconcile of its
/// organization, or counted as unroutable), never a failed read.
public struct WorkOSEvent: Sendable, Hashable, Codable {
    public var id: String
    /// `dsync.user.created`, `organization.updated`, …
    public var type: String
    /// As the API sent it (ISO-8601).
    public var createdAt: String
    public var organizationID: String?
    /// The organization's `external_id`, on `organization.*` events.
    public var organizationExternalID: String?
    public var directoryID: String?
    /// The directory user the event is about (`data.id` of `dsync.user.*`, `data.user.id` of memberships).
    public var directoryUserID: String?
    /// The user's email now, and before the change (`previous_attributes.email` of `dsync.user.updated`).
    public var email: String?
    public var previousEmail: String?
    /// The SSO connection a sign-in went through (`data.sso.connection_id` of `authentication.sso_succeeded`).
    public var connectionID: String?

    public init(
        id: String, type: String, createdAt: String, organizationID: String? = nil, organizationExternalID: String? = nil,
        directoryID: String? = nil,
        directoryUserID: String? = nil, email: String? = nil, previousEmail: String? = nil, connectionID: String? = nil
    ) {
        self.id = id
        self.type = type
        self.createdAt = createdAt
        self.organizationID = organizationID
        self.organizationExternalID = organizationExternalID
        self.directoryID = directoryID
        self.directoryUserID = directoryUserID
        self.email = email
        self.previousEmail = previousEmail
        self.connectionID = connectionID
    }
}

/// One page of events, oldest first, and the cursor after it (`nil`: nothing newer yet).
public struct WorkOSEventPage: Sendable, Hashable {
    public var events: [WorkOSEvent]
    public var after: String?
}

/// What to ask `GET /events` for.
public struct WorkOSEventQuery: Sendable, Hashable {
    /// Event types (`events=a,b`); empty: every type.
    public var types: [String]
    /// The id of the last event handled: only newer events come back.
    public var after: String?
    /// Only events at or after this instant (ISO-8601), for `--since 15m` with no cursor.
    public var rangeStart: String?
    public var organizationID: String?
    /// 1…100.
    public var limit: Int

    public init(
        types: [String] = [], after: String? = nil, rangeStart: String? = nil, organizationID: String? = nil, limit: Int = 100
    ) {
        self.types = types
        self.after = after
        self.rangeStart = rangeStart
        self.organizationID = organizationID
        self.limit = min(100, max(1, limit))
    }
}

extension WorkOSClient {
    /// The longest id or cursor accepted from the server; longer ones fail the read.
    static let maxEventTextBytes = 1024

    /// One page of events after `query.after`, oldest first. The page's size in bytes and items is bounded by the
    /// client's `limits`; an event without an id or type, or with an id or cursor over 1 KiB, fails the read.
    public func events(_ query: WorkOSEventQuery) async throws(LiveError) -> WorkOSEventPage {
        var parameters: [(name: String, value: String)] = [("order", "asc"), ("limit", String(query.limit))]
        if !query.types.isEmpty { parameters.append(("events", query.types.joined(separator: ","))) }
        if let after = query.after { parameters.append(("after", after)) }
        if let start = query.rangeStart { parameters.append(("range_start", start)) }
        if let organization = query.organizationID { parameters.append(("organization_id", organization)) }
        let path = "/events"
        let response = try await channel.send("GET", path, query: parameters)
        let page = try channel.decode(WorkOSList<WireEvent>.self, response, method: "GET", path: path)
        let budget = ListingBudget(limits, connection: channel.name, path: path)
        try budget.admit(items: page.data.count, bytes: response.body.count)
        guard page.data.count <= query.limit else {
            throw budget.failure("\(page.data.count) events on a page of \(query.limit)")
        }
        for event in page.data where event.event.id.utf8.count > Self.maxEventTextBytes {
            throw budget.failure("an event id of \(event.event.id.utf8.count) bytes")
        }
        let after = page.listMetadata?.after
        if let after, after.utf8.count > Self.maxEventTextBytes {
            throw budget.failure("an `after` cursor of \(after.utf8.count) bytes")
        }
        let events = page.data.map(\.event)
        return WorkOSEventPage(events: events, after: events.isEmpty ? nil : (after ?? events.last?.id))
    }

    /// The id of the newest event of `types` (`order=desc&limit=1`), or `nil` when there is none: where a first
    /// run starts, so that nothing older is replayed and nothing newer is missed, whatever the clocks say.
    public func newestEventID(types: [String]) async throws(LiveError) -> String? {
        var parameters: [(name: String, value: String)] = [("order", "desc"), ("limit", "1")]
        if !types.isEmpty { parameters.append(("events", types.joined(separator: ","))) }
        let path = "/events"
        let response = try await channel.send("GET", path, query: parameters)
        let page = try channel.decode(WorkOSList<WireEvent>.self, response, method: "GET", path: path)
        guard let id = page.data.first?.event.id else { return nil }
        guard id.utf8.count <= Self.maxEventTextBytes else {
            throw ListingBudget(limits, connection: channel.name, path: path).failure("an event id of \(id.utf8.count) bytes")
        }
        return id
    }

    /// Events after `query.after`, page by page, up to `maxEvents` (the rest is left for the next call, from the
    /// last id returned). A cursor that does not move forward fails the read.
    public func events(_ query: WorkOSEventQuery, maxEvents: Int) async throws(LiveError) -> [WorkOSEvent] {
        var query = query
        var events: [WorkOSEvent] = []
        var seen: Set<String> = []
        while events.count < maxEvents {
            query.limit = min(100, max(1, maxEvents - events.count))
            let page = try await self.events(query)
            events += page.events
            guard let next = page.after, page.events.count == query.limit else { break }
            guard seen.insert(next).inserted, next != query.after else {
                throw .malformedResponse(method: "GET", path: "/events", reason: "the `after` cursor repeats (\(next))")
            }
            query.after = next
            query.rangeStart = nil
        }
        return events
    }
}

/// An event on the wire: `{object, id, event, data, created_at}`. `data`'s fields are read leniently, each one
/// optional and of the type expected or ignored.
struct WireEvent: Decodable, Sendable {
    var event: WorkOSEvent

    enum CodingKeys: String, CodingKey {
        case id, event, data, createdAt = "created_at"
    }

    struct Data: Decodable, Sendable {
        var id: String?
        var organizationID: String?
        var externalID: String?
        var directoryID: String?
        var email: String?
        var emails: [Email]?
        var user: User?
        var previous: Previous?
        var sso: SSO?

        struct Email: Decodable, Sendable {
            var value: String?
            var primary: Bool?
        }
        struct User: Decodable, Sendable {
            var id: String?
            var email: String?
            var organizationID: String?
            var emails: [Email]?

            enum CodingKeys: String, CodingKey {
                case id, email, emails, organizationID = "organization_id"
            }
        }
        struct Previous: Decodable, Sendable {
            var email: String?
        }
        struct SSO: Decodable, Sendable {
            var organizationID: String?
            var connectionID: String?

            enum CodingKeys: String, CodingKey {
                case organizationID = "organization_id"
                case connectionID = "connection_id"
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, email, emails, user, sso, organizationID = "organization_id", directoryID = "directory_id"
            case externalID = "external_id"
            case previous = "previous_attributes"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try? container.decodeIfPresent(String.self, forKey: .id)
            organizationID = try? container.decodeIfPresent(String.self, forKey: .organizationID)
            externalID = try? container.decodeIfPresent(String.self, forKey: .externalID)
            directoryID = try? container.decodeIfPresent(String.self, forKey: .directoryID)
            email = try? container.decodeIfPresent(String.self, forKey: .email)
            emails = try? container.decodeIfPresent([Email].self, forKey: .emails)
            user = try? container.decodeIfPresent(User.self, forKey: .user)
            previous = try? container.decodeIfPresent(Previous.self, forKey: .previous)
            sso = try? container.decodeIfPresent(SSO.self, forKey: .sso)
        }

        static func primary(_ email: String?, _ emails: [Email]?) -> String? {
            email ?? (emails?.first { $0.primary == true } ?? emails?.first)?.value
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let data = (try? container.decodeIfPresent(Data.self, forKey: .data)) ?? nil
        let type = try container.decode(String.self, forKey: .event)
        let isMembership = type.hasPrefix("dsync.group.user_")
        let isOrganization = type.hasPrefix("organization.")
        let user = data?.user
        event = WorkOSEvent(
            id: try container.decode(String.self, forKey: .id), type: type,
            createdAt: (try? container.decodeIfPresent(String.self, forKey: .createdAt)) ?? "",
            organizationID: isOrganization
                ? data?.id : (data?.organizationID ?? user?.organizationID ?? data?.sso?.organizationID),
            organizationExternalID: isOrganization ? data?.externalID : nil, directoryID: data?.directoryID,
            directoryUserID: isMembership ? user?.id : (type.hasPrefix("dsync.user.") ? data?.id : nil),
            email: (isMembership ? Data.primary(user?.email, user?.emails) : Data.primary(data?.email, data?.emails))?
                .lowercased(),
            previousEmail: data?.previous?.email?.lowercased(), connectionID: data?.sso?.connectionID)
    }
}
