import Foundation

// MARK: - Stored objects

/// The WorkOS surface's whole state: every object in creation order (ids are ULIDs, so creation order is id order).
/// Timestamps are kept as the ISO-8601 strings the API returns.
struct WorkOSState: Codable, Sendable {
    var organizations: [WorkOSOrganization] = []
    var connections: [SSOConnectionRecord] = []
    var directories: [WorkOSDirectory] = []
    var groups: [WorkOSGroup] = []
    var users: [WorkOSUser] = []
    var events: [WorkOSEvent] = []
    /// First responses of POSTs by `Idempotency-Key`.
    var idempotentResponses: [String: StoredResponse] = [:]
    /// The id generator's position, so restored state keeps minting increasing ids.
    var ids = WorkOSIDGenerator()
}

struct WorkOSDomain: Codable, Sendable {
    var id: String
    var domain: String
    var state: String
    var createdAt: String
    var updatedAt: String
}

struct WorkOSOrganization: Codable, Sendable {
    var id: String
    var name: String
    var externalID: String?
    var domains: [WorkOSDomain]
    var metadata: [String: String]
    var stripeCustomerID: String?
    var createdAt: String
    var updatedAt: String
}

/// A WorkOS SSO connection as the sandbox stores it (the API's `connection` object). Not to be confused with a
/// workspace's config entry (`Spec.WorkOSConnection`), the HTTP client core or a client socket (`ClientSocket`).
/// Stored property names are the `--state` file's keys; the wire JSON is written by `WorkOSState.json(_:)`.
struct SSOConnectionRecord: Codable, Sendable {
    var id: String
    var organizationID: String
    var connectionType: String
    var name: String
    var state: String
    var domains: [SSOConnectionDomainRecord]
    var createdAt: String
    var updatedAt: String
}

/// One domain of an `SSOConnectionRecord`.
struct SSOConnectionDomainRecord: Codable, Sendable {
    var id: String
    var domain: String
}

struct WorkOSDirectory: Codable, Sendable {
    var id: String
    var organizationID: String
    var externalKey: String
    var name: String
    var type: String
    var state: String
    var domain: String?
    var createdAt: String
    var updatedAt: String
}

struct WorkOSGroup: Codable, Sendable {
    var id: String
    var idpID: String
    var directoryID: String
    var organizationID: String
    var name: String
    var createdAt: String
    var updatedAt: String
}

struct WorkOSUser: Codable, Sendable {
    var id: String
    var idpID: String
    var directoryID: String
    var organizationID: String
    var email: String
    var firstName: String
    var lastName: String
    /// `active` or `inactive` (never `suspended`: the stricter SDKs reject it).
    var state: String
    var groupIDs: [String]
    var createdAt: String
    var updatedAt: String
}

/// One event as `GET /events` returns it; `data` is the JSON of the object at the time of the change.
struct WorkOSEvent: Codable, Sendable {
    var id: String
    var event: String
    var organizationID: String?
    var data: Data
    var createdAt: String
}

/// A response kept for `Idempotency-Key` replay.
struct StoredResponse: Codable, Sendable {
    var status: Int
    var body: Data
}

// MARK: - Ids

/// Mints `<prefix>_<26 Crockford base32 chars>` ids shaped like ULIDs: 48 bits of milliseconds, then an 80-bit
/// counter instead of randomness, so ids are deterministic and strictly increasing even within one millisecond.
struct WorkOSIDGenerator: Codable, Sendable {
    private var lastMillis: UInt64 = 0
    private var counter: UInt64 = 0

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// When an id was minted (its first ten characters after the prefix are milliseconds since 1970), or `nil` for
    /// text that is no such id.
    static func date(of id: String) -> Date? {
        guard let underscore = id.lastIndex(of: "_") else { return nil }
        let body = Array(id[id.index(after: underscore)...].utf8)
        guard body.count == 26 else { return nil }
        var millis: UInt64 = 0
        for byte in body.prefix(10) {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            millis = millis << 5 | UInt64(digit)
        }
        guard millis < 1 << 47 else { return nil }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    mutating func next(_ prefix: String, at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        if millis > lastMillis { lastMillis = millis }
        counter += 1
        var bytes = [UInt8](repeating: 0, count: 26)
        var time = lastMillis
        for index in stride(from: 9, through: 0, by: -1) {
            bytes[index] = Self.alphabet[Int(time & 31)]
            time >>= 5
        }
        var count = counter
        for index in stride(from: 25, through: 10, by: -1) {
            bytes[index] = Self.alphabet[Int(count & 31)]
            count >>= 5
        }
        return prefix + "_" + String(decoding: bytes, as: UTF8.self)
    }
}
