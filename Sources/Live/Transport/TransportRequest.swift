import Foundation

/// One HTTP request as a transport sends it: an absolute URL, headers and an optional body.
public struct TransportRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: URL
    /// Header fields in order. Values may hold credentials: `description` never shows them.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Seconds without a complete answer before the transport gives up with `LiveError.timedOut`.
    public var timeout: Double
    /// Whether sending the request twice has the same effect as sending it once, which makes it safe to retry after
    /// a 5xx, a timeout or a dropped connection. Defaults from the method (GET, HEAD, PUT, DELETE, OPTIONS);
    /// a POST carrying an idempotency key may set it.
    public var isIdempotent: Bool

    public init(
        method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil, timeout: Double = 30,
        isIdempotent: Bool? = nil
    ) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.isIdempotent = isIdempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method.uppercased())
    }

    /// The first value of a header, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Method and URL only: headers may carry credentials and are left out.
    public var description: String { "\(method) \(url.absoluteString)" }
}

/// One HTTP answer: status, headers (looked up case-insensitively) and body.
public struct TransportResponse: Sendable, CustomStringConvertible {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer from an already-encoded body.
    public static func json(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> TransportResponse {
        TransportResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(text.utf8))
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public var description: String { "HTTP \(status) (\(body.count) bytes)" }
}

/// The seam between the clients and the network. Implementations send exactly one request per call — no retries,
/// no redirects followed — and report a status (any status, 4xx and 5xx included) as a response, not an error.
/// Errors are only for "no usable answer": `unreachable`, `connectionDropped`, `timedOut`, `cancelled`, `invalidURL`.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse
}
