import Foundation

/// Header fields, looked up case-insensitively, kept in arrival order.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Replaces every field of that name with one.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        fields.append((name, value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

/// A parsed HTTP/1.1 request as the server hands it to a surface.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, percent-decoding not applied (e.g. `/thinkific/api/public/v1/users`).
    public var path: String
    /// Query items in order; names and values percent-decoded (`+` as space). Repeated names are kept.
    public var query: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: Data

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: HTTPHeaders = HTTPHeaders(),
        body: Data = Data()
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Every value of a query parameter.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }
}

/// What a surface answers. The server adds `Content-Length`, `Date` and `Connection` itself.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from an already-encoded body.
    public static func json(_ status: Int, _ body: Data, contentType: String = "application/json; charset=utf-8") -> HTTPResponse
    {
        var headers = HTTPHeaders()
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// A JSON response from a Foundation JSON value (dictionaries, arrays, strings, numbers, `NSNull`).
    public static func json(_ status: Int, object: Any, contentType: String = "application/json; charset=utf-8") -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
        return .json(status, data, contentType: contentType)
    }

    public static func empty(_ status: Int) -> HTTPResponse {
        HTTPResponse(status: status)
    }
}

/// One emulated API, mounted by the router under `/<name>/…`. Implementations are thread-safe:
/// the server calls `handle` from many connections at once.
public protocol Surface: AnyObject, Sendable {
    /// The path prefix and stats name: `thinkific`, `workos` or `scim`.
    var name: String { get }
    /// Answers a request whose path has had `/<name>` removed (`/api/public/v1/users`, `/organizations`, `/insights/v2/Users`).
    func handle(_ request: HTTPRequest, path: String) -> HTTPResponse
    /// The route template a request matched, for `/_sandbox/stats` (`GET /users/{id}`); `nil` when no route matched.
    func routeTemplate(method: String, path: String) -> String?
    /// The surface's whole state as JSON, for `--state` persistence.
    func snapshot() throws -> Data
    /// Replaces the state with a snapshot.
    func restore(from snapshot: Data) throws
    /// Returns to the seeded state.
    func reset()
    /// Answers a control request under `/_sandbox/<name>/…` (path has that prefix removed), such as the directory
    /// changes a real IdP would make; `nil` when the surface has no such control route.
    func handleControl(_ request: HTTPRequest, path: String) -> HTTPResponse?
}

extension Surface {
    public func handleControl(_ request: HTTPRequest, path: String) -> HTTPResponse? { nil }
}
