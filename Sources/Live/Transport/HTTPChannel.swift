import Foundation
import Synchronization

/// The client core shared by the Thinkific, WorkOS and SCIM clients: one base URL, its auth headers, a rate limiter,
/// bounded concurrency, retries and a request count.
///
/// Retries: a 429 is retried for any method (the server refused it unprocessed) after the server's reset hint, and
/// every later request of the connection waits too; so is a request that never reached the server. A 5xx, a timeout
/// or a dropped connection is retried only for idempotent requests, with exponential backoff and jitter. All bounded
/// by `policy.maxAttempts`.
public final class HTTPChannel: Sendable, CustomStringConvertible {
    /// A short name for messages and stats (`thinkific`, `workos`, `insights`).
    public let name: String
    public let baseURL: String
    public let policy: ChannelPolicy
    private let authHeaders: [AuthHeader]
    private let transport: any HTTPTransport
    private let environment: ChannelEnvironment
    private let limiter: RateLimiter?
    private let semaphore: AsyncSemaphore
    private let counters = Mutex(ChannelStats())
    private let inFlight = Mutex(0)

    struct AuthHeader: Sendable {
        var name: String
        var value: Secret
        var prefix: String
    }

    /// - Parameters:
    ///   - baseURL: scheme, host and path prefix, e.g. `https://api.thinkific.com/api/public/v1`.
    ///   - secretHeaders: headers whose values are credentials (`value` is sent as `prefix + secret`).
    ///   - plainHeaders: other headers sent with every request.
    public init(
        name: String, baseURL: String, secretHeaders: [(name: String, prefix: String, value: Secret)] = [],
        plainHeaders: [(name: String, value: String)] = [], policy: ChannelPolicy, transport: any HTTPTransport,
        environment: ChannelEnvironment = .live
    ) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.policy = policy
        self.authHeaders =
            secretHeaders.map { AuthHeader(name: $0.name, value: $0.value, prefix: $0.prefix) }
            + plainHeaders.map { AuthHeader(name: $0.name, value: Secret($0.value), prefix: "") }
        self.transport = transport
        self.environment = environment
        self.limiter = policy.requestsPerMinute.map { RateLimiter(requestsPerMinute: $0 / (1 + max(0, policy.pacingMargin))) }
        self.semaphore = AsyncSemaphore(policy.maxConcurrentRequests)
    }

    public var description: String { "\(name) (\(baseURL))" }

    /// Requests sent so far, retries included.
    public var requestCount: Int { counters.withLock { $0.requests } }

    /// Requests waiting for an answer right now.
    public var requestsInFlight: Int { inFlight.withLock { $0 } }

    public var stats: ChannelStats { counters.withLock { $0 } }

    // MARK: - Sending

    /// Sends one request (with retries as described on the type) and returns the final answer, whatever its status.
    /// Throws only when no usable answer came back after the allowed attempts.
    ///
    /// - Parameter pacing: a narrower limit the request shares with others (WorkOS's per-directory limit): its slot
    ///   is waited for before the connection's, and a 429 without a hint waits for its next window without counting
    ///   as an attempt, until the limit has made no progress for its stall budget (`PacedLimit`).
    public func send(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [], body: Data? = nil,
        headers: [(name: String, value: String)] = [], isIdempotent: Bool? = nil, pacing: PacedLimit? = nil
    ) async throws(LiveError) -> TransportResponse {
        let url = try makeURL(path: path, query: query)
        var allHeaders = authHeaders.map { (name: $0.name, value: $0.prefix + $0.value.exposedValue()) }
        allHeaders += headers
        let request = TransportRequest(
            method: method, url: url, headers: allHeaders, body: body, timeout: policy.timeout, isIdempotent: isIdempotent)
        var attempt = 1
        var isResend = false
        while true {
            if Task.isCancelled { throw .cancelled }
            try await wait(for: pacing)
            await semaphore.wait()
            let outcome: Result<TransportResponse, LiveError>
            do {
                try await waitForSlot()
                counters.withLock {
                    $0.requests += 1
                    if attempt > 1 || isResend { $0.retries += 1 }
                }
            } catch {
                semaphore.signal()
                throw .cancelled
            }
            inFlight.withLock { $0 += 1 }
            do throws(LiveError) {
                outcome = .success(try await transport.send(request))
            } catch {
                outcome = .failure(error)
            }
            inFlight.withLock { $0 -= 1 }
            semaphore.signal()
            observe(outcome)
            if let pacing, case .success(let response) = outcome {
                if response.status == 429,
                    RetryHint.delay(in: response, epochNow: environment.epochNow(), maximum: policy.maxDelay) == nil
                {
                    // Not a failed attempt: wait for the limit's next window, unless it has stalled.
                    guard pacing.waitForNextWindow(now: environment.now()) else { return response }
                    isResend = true
                    continue
                }
                pacing.progressed(now: environment.now())
            }

            guard attempt < policy.maxAttempts, let delay = retryDelay(after: outcome, request: request, attempt: attempt)
            else { return try outcome.get() }
            attempt += 1
            do {
                try await environment.sleep(delay)
            } catch {
                throw .cancelled
            }
        }
    }

    /// Waits for a slot of `pacing`, if any (before the connection's own slot and permit, so a request waiting for
    /// its directory holds neither).
    private func wait(for pacing: PacedLimit?) async throws(LiveError) {
        guard let pacing else { return }
        let wait = pacing.reserve(now: environment.now())
        guard wait > 0 else { return }
        do {
            try await environment.sleep(wait)
        } catch {
            throw .cancelled
        }
    }

    /// Waits for the connection's next slot, if it is rate-limited; the server's newest budget decides at the last
    /// moment (bounded, should a clock stand still).
    private func waitForSlot() async throws {
        guard let limiter else { return }
        let wait = limiter.reserve(now: environment.now())
        if wait > 0 { try await environment.sleep(wait) }
        for _ in 0..<64 {
            let extra = limiter.clearToSend(now: environment.now())
            guard extra > 0 else { break }
            try await environment.sleep(extra)
        }
    }

    /// Counts a 429, or takes the server's word on its budget from any other answer.
    private func observe(_ outcome: Result<TransportResponse, LiveError>) {
        guard case .success(let response) = outcome else { return }
        if response.status == 429 {
            counters.withLock { $0.rateLimited += 1 }
        } else if let limiter,
            let budget = RetryHint.budget(in: response, epochNow: environment.epochNow(), maximum: policy.maxDelay)
        {
            limiter.observe(remaining: budget.remaining, resetIn: budget.resetIn, now: environment.now())
        }
    }

    /// How long to wait before retrying, or `nil` when the outcome is final.
    private func retryDelay(
        after outcome: Result<TransportResponse, LiveError>, request: TransportRequest, attempt: Int
    )
        -> Double?
    {
        switch outcome {
        case .success(let response) where response.status == 429:
            let hinted = RetryHint.delay(in: response, epochNow: environment.epochNow(), maximum: policy.maxDelay)
            let delay = hinted ?? backoff(attempt: attempt)
            limiter?.pause(until: environment.now() + delay)
            return delay
        case .success(let response) where response.status >= 500 && request.isIdempotent:
            return backoff(attempt: attempt)
        case .success:
            return nil
        case .failure(let error):
            switch error {
            case .unreachable: return backoff(attempt: attempt)
            case .connectionDropped, .timedOut: return request.isIdempotent ? backoff(attempt: attempt) : nil
            default: return nil
            }
        }
    }

    /// `baseDelay × 2^(attempt-1)`, jittered to 50–150 %, capped at `maxDelay`.
    private func backoff(attempt: Int) -> Double {
        let exponential = policy.baseDelay * pow(2, Double(attempt - 1))
        return min(policy.maxDelay, exponential * (0.5 + environment.random()))
    }

    private func makeURL(path: String, query: [(name: String, value: String)]) throws(LiveError) -> URL {
        var text = baseURL + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
        }
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else { throw .invalidURL(text) }
        return url
    }

    private static let unreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// Percent-encodes everything but RFC 3986 unreserved characters, so `+`, `&`, `[` and spaces survive any server.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Percent-encodes one path segment (an external id, a SCIM id).
    public static func pathSegment(_ text: String) -> String { encode(text) }

    // MARK: - JSON

    /// GETs and decodes a JSON body; any status outside 2xx is an `LiveError.status`.
    public func getJSON<T: Decodable>(
        _ type: T.Type, _ path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = []
    ) async throws(LiveError) -> T {
        let response = try await send("GET", path, query: query, headers: headers)
        return try decode(type, response, method: "GET", path: path)
    }

    /// Like `getJSON`, but a 404 is `nil`.
    public func getJSONIfPresent<T: Decodable>(
        _ type: T.Type, _ path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = []
    ) async throws(LiveError) -> T? {
        let response = try await send("GET", path, query: query, headers: headers)
        if response.status == 404 { return nil }
        return try decode(type, response, method: "GET", path: path)
    }

    /// Decodes a 2xx JSON body, or turns any other status into `LiveError.status` with the server's message.
    public func decode<T: Decodable>(
        _ type: T.Type, _ response: TransportResponse, method: String, path: String
    )
        throws(LiveError) -> T
    {
        guard response.isSuccess else {
            throw .status(code: response.status, method: method, path: path, message: Self.errorMessage(response.body))
        }
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw .malformedResponse(method: method, path: path, reason: SecretScrubber.scrub(Self.describe(error)))
        }
    }

    /// The message of a vendor error body (`message`, `error`, `errors`, `detail`), shortened, with every known
    /// secret removed (a server may repeat the request's credential).
    static func errorMessage(_ body: Data) -> String? {
        // Scrubbed before shortening: a cut must not leave half a key that no longer matches.
        guard let text = rawErrorMessage(body).map(SecretScrubber.scrub) else { return nil }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    private static func rawErrorMessage(_ body: Data) -> String? {
        guard !body.isEmpty, let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return nil
        }
        let found: Any?
        if let dictionary = object as? [String: Any] {
            found = dictionary["message"] ?? dictionary["detail"] ?? dictionary["error"] ?? dictionary["errors"]
        } else {
            found = object
        }
        guard let found else { return nil }
        let text: String
        if let string = found as? String {
            text = string
        } else if let data = try? JSONSerialization.data(withJSONObject: found, options: [.sortedKeys, .fragmentsAllowed]) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            return nil
        }
        return text
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(let type, let context):
            "\(path(context.codingPath)) is not \(type)"
        case DecodingError.valueNotFound(let type, let context):
            "\(path(context.codingPath)) is null, expected \(type)"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "body" }
        return keys.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}
