import Foundation

/// What a write did: the id of the object it made or changed, whether that object already existed and was adopted
/// instead of created, the last HTTP status seen and how many times the write itself was sent.
public struct WriteResult<ID: Sendable & Hashable>: Sendable, Hashable {
    public var id: ID
    /// The object was there already (a conflict answer, a lookup before creating, or a lost answer whose write had
    /// in fact happened): nothing new was made.
    public var adopted: Bool
    public var status: Int?
    /// Times the write was sent (1 unless an answer was lost or a 5xx came back).
    public var attempts: Int

    public init(id: ID, adopted: Bool, status: Int?, attempts: Int) {
        self.id = id
        self.adopted = adopted
        self.status = status
        self.attempts = attempts
    }
}

/// Carries out a create that the server does not deduplicate by itself, so that it never makes a duplicate:
///
/// - a success answer gives the new object's id;
/// - a refusal that may mean "already exists" (400, 409 or 422, however the vendor words it) is settled by `lookup`:
///   an object found is adopted, none found means the refusal stands (the change fails with the server's answer);
/// - no answer (a dropped connection, a timeout) or a 5xx means the server may or may not have acted: `lookup`
///   decides, and the create is sent again only when it shows the object is still missing.
///
/// No lookup is made before the first send: a caller that cannot vouch for the object's absence (a fresh
/// observation under the tenant's lock) looks it up itself first. The connection has already retried whatever it
/// safely could (a 429, an unreachable host); `attempts` bounds the re-sends done here.
func idempotentCreate<ID: Sendable & Hashable>(
    what: String, attempts: Int = 4,
    lookup: () async throws(LiveError) -> ID?,
    post: () async throws(LiveError) -> TransportResponse,
    createdID: (TransportResponse) throws(LiveError) -> ID
) async throws(LiveError) -> WriteResult<ID> {
    var lastError = LiveError.unresolvedID(what: what)
    for attempt in 1...max(1, attempts) {
        let response: TransportResponse
        do {
            response = try await post()
        } catch {
            switch error {
            case .connectionDropped, .timedOut:
                if let id = try await lookup() { return WriteResult(id: id, adopted: false, status: nil, attempts: attempt) }
                lastError = error
                continue
            default:
                throw error
            }
        }
        if response.isSuccess {
            return WriteResult(id: try createdID(response), adopted: false, status: response.status, attempts: attempt)
        }
        lastError = .status(code: response.status, method: "POST", path: what, message: HTTPChannel.errorMessage(response.body))
        if refusalMayMeanExists(response.status) {
            guard let id = try await lookup() else { throw lastError }
            return WriteResult(id: id, adopted: true, status: response.status, attempts: attempt)
        }
        guard response.status >= 500 else { throw lastError }
        if let id = try await lookup() { return WriteResult(id: id, adopted: false, status: response.status, attempts: attempt) }
    }
    throw lastError
}

/// The statuses vendors answer a duplicate create with: Thinkific 422 ("has already been taken"), SCIM 409
/// (`uniqueness`), WorkOS 400 (`external_id_already_used`) or 409.
func refusalMayMeanExists(_ status: Int) -> Bool {
    status == 400 || status == 409 || status == 422
}

/// JSON for request bodies (keys sorted so recorded requests compare stably).
func jsonBody(_ object: [String: Any]) -> Data {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
}

/// Reads one field of a JSON object answer; the object may be wrapped once (`{"group": {...}}`).
func jsonField(_ body: Data, _ key: String, wrappedIn wrapper: String? = nil) -> Any? {
    guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
    if let value = object[key], !(value is NSNull) { return value }
    if let wrapper, let inner = object[wrapper] as? [String: Any] { return inner[key] }
    return nil
}

/// An integer id from a JSON answer (`7` or `7.0`).
func jsonInt(_ value: Any?) -> Int? {
    switch value {
    case let number as NSNumber: Int(exactly: number.doubleValue)
    case let text as String: Int(text)
    default: nil
    }
}

/// Fails with `LiveError.status` unless the answer is one of the accepted statuses.
func expect(
    _ response: TransportResponse, _ accepted: Set<Int>, method: String, path: String
) throws(LiveError) {
    guard accepted.contains(response.status) else {
        throw .status(code: response.status, method: method, path: path, message: HTTPChannel.errorMessage(response.body))
    }
}
