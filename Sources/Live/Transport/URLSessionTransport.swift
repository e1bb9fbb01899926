import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The production transport: URLSession from FoundationNetworking.
///
/// Redirects are never followed (a 3xx comes back as a response), cookies and caches are off, and every request
/// carries its own timeout. URLSession's error codes are mapped to the transport cases of `LiveError`, so a caller
/// can tell "never reached the server" (safe to retry anything) from "dropped after sending" (retry reads only).
///
/// **What a server can make it do.** An answer is streamed through a delegate that counts its bytes: one larger than
/// `maxResponseBytes` (declared or as it arrives) is stopped and reported as `LiveError.responseTooLarge`, and its
/// bytes are dropped. A request is likewise stopped at its timeout, and when the surrounding task is cancelled (an
/// observation's deadline). A stopped request's caller gets its error at once, without waiting for the cancel to
/// land. Limit of the toolchain: FoundationNetworking hands every received chunk to the delegate through a queue
/// without back-pressure, so a sender much faster than the process (a local flood, not an API over a network) can
/// queue more than the cap before the delegate counts it; those bytes are released as the queue drains.
///
/// **Write bodies (issue 15).** Every request with a body goes out on a connection opened for it alone, from an
/// `httpBody` held in memory, with `Connection: close` and no `Expect: 100-continue`; so each attempt carries its
/// whole body, or fails at once and is retried (by `HTTPChannel`'s policy) as a new request with its body. The cause
/// this guards against: a connection pooled by libcurl that the peer closed after its answer without saying
/// `Connection: close` (threaded proxies, load balancers). libcurl reuses it for the next request, finds it dead
/// after sending, and silently re-sends the request on a new connection — rewinding the body through
/// FoundationNetworking's seek callback, which does not rewind an in-memory body. The re-sent request carries its
/// `Content-Length` and no body bytes and waits out the whole timeout. A non-idempotent request without a body
/// (a bodiless POST) also gets its own connection, so libcurl never re-sends it on its own; idempotent requests
/// without a body (reads) are safe to re-send that way and keep their pooled connections.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: URLSession is thread-safe, the configuration is only copied, and the delegate guards its state.

    /// The largest answer accepted by default: 32 MiB. A vendor page of 250 users is about 100 KB.
    public static let defaultMaxResponseBytes = 32 * 1024 * 1024

    /// Answers larger than this many bytes fail with `LiveError.responseTooLarge`.
    public let maxResponseBytes: Int
    private let configuration: URLSessionConfiguration
    /// For requests without a body: pooled keep-alive connections.
    private let session: URLSession
    private let delegate: StreamingDelegate

    /// - Parameters:
    ///   - maximumConnectionsPerHost: the socket pool size for reads; keep it at least the callers' concurrency.
    ///   - maxResponseBytes: the cap on one answer's body.
    public init(maximumConnectionsPerHost: Int = 16, maxResponseBytes: Int = defaultMaxResponseBytes) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        // Each request's own timer (below) is the timeout; the session's must not cut in first.
        configuration.timeoutIntervalForRequest = 3600
        configuration.timeoutIntervalForResource = 3600
        self.configuration = configuration
        self.maxResponseBytes = max(0, maxResponseBytes)
        delegate = StreamingDelegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse {
        var urlRequest = URLRequest(
            url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        let host = request.url.host ?? request.url.absoluteString
        guard request.body != nil || !request.isIdempotent else {
            return try await run(urlRequest, on: session, delegate: delegate, host: host, timeout: request.timeout)
        }
        // A write: its own session, so its own connection (see the type's documentation).
        urlRequest.httpBody = request.body
        urlRequest.setValue("close", forHTTPHeaderField: "Connection")
        let writeDelegate = StreamingDelegate()
        let writeSession = URLSession(configuration: configuration, delegate: writeDelegate, delegateQueue: nil)
        defer { writeSession.finishTasksAndInvalidate() }
        return try await run(urlRequest, on: writeSession, delegate: writeDelegate, host: host, timeout: request.timeout)
    }

    /// Runs one data task to completion, its timeout or the surrounding task's cancellation.
    private func run(
        _ urlRequest: URLRequest, on session: URLSession, delegate: StreamingDelegate, host: String, timeout: Double
    ) async throws(LiveError) -> TransportResponse {
        let task = session.dataTask(with: urlRequest)
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<StreamingDelegate.Outcome, Never>) in
                delegate.register(task, limit: maxResponseBytes, continuation: continuation)
                // URLSession on Linux keeps to the session's request timeout whatever the request says, so each
                // request carries its own timer that cancels the task and reports a timeout.
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak task] in
                    guard let task else { return }
                    delegate.stop(task, because: .timedOut)
                }
                task.resume()
            }
        } onCancel: {
            delegate.stop(task, because: .cancelled)
        }
        switch outcome.ending {
        case .timedOut: throw .timedOut(host: host, seconds: timeout)
        case .tooLarge: throw .responseTooLarge(host: host, limit: maxResponseBytes)
        case .cancelled: throw .cancelled
        case nil: break
        }
        if let error = outcome.error { throw Self.map(error, host: host, timeout: timeout) }
        guard let http = outcome.response as? HTTPURLResponse else {
            throw .connectionDropped(host: host, reason: "not an HTTP response")
        }
        var headers: [(name: String, value: String)] = []
        for (name, value) in http.allHeaderFields {
            headers.append((String(describing: name), String(describing: value)))
        }
        return TransportResponse(status: http.statusCode, headers: headers, body: outcome.body)
    }

    /// Sorts URLSession's many error codes into the three things a retry policy needs to know.
    static func map(_ error: any Error, host: String, timeout: Double) -> LiveError {
        guard let urlError = error as? URLError else {
            return .connectionDropped(host: host, reason: String(describing: error))
        }
        switch urlError.code {
        case .timedOut:
            return .timedOut(host: host, seconds: timeout)
        case .cancelled:
            return .cancelled
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL, .unsupportedURL,
            .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
            .serverCertificateHasUnknownRoot:
            return .unreachable(host: host, reason: urlError.localizedDescription)
        default:
            return .connectionDropped(host: host, reason: urlError.localizedDescription)
        }
    }
}

/// Collects each task's answer as it streams in, up to a byte limit, and hands it over when the task ends.
/// Hands a 3xx back to the caller instead of following it: a redirect of an authenticated API call is a surprise.
private final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: all state is behind the mutex.

    /// Why the transport stopped a task itself.
    enum Ending: Sendable {
        case timedOut, cancelled, tooLarge
    }

    struct Outcome: @unchecked Sendable {
        // @unchecked: URLResponse and Error are immutable once the task has ended.
        var response: URLResponse?
        var body = Data()
        var error: (any Error)?
        var ending: Ending?
    }

    private struct Entry {
        var limit: Int
        var continuation: CheckedContinuation<Outcome, Never>
        var outcome = Outcome()
    }

    private let entries = Mutex<[Int: Entry]>([:])
    /// Stops asked for before the task was registered (a cancellation racing its start).
    private let early = Mutex<[Int: Ending]>([:])

    func register(_ task: URLSessionTask, limit: Int, continuation: CheckedContinuation<Outcome, Never>) {
        let ending = early.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        entries.withLock { $0[task.taskIdentifier] = Entry(limit: limit, continuation: continuation) }
        if let ending { stop(task, because: ending) }
    }

    /// Ends a task's wait at once with `ending`, then cancels the task. The caller never waits for the cancel to
    /// land: FoundationNetworking runs it on the session's queue, which a sender faster than the reader can keep busy
    /// until it stops sending (the bytes that still arrive are dropped).
    func stop(_ task: URLSessionTask, because ending: Ending) {
        if let entry = entries.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) {
            entry.continuation.resume(returning: Outcome(ending: ending))
        } else if task.state == .suspended {
            early.withLock { $0[task.taskIdentifier] = $0[task.taskIdentifier] ?? ending }
        }
        DispatchQueue.global().async { task.cancel() }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let limit = entries.withLock { $0[dataTask.taskIdentifier]?.limit } ?? 0
        if response.expectedContentLength > Int64(limit) { stop(dataTask, because: .tooLarge) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overflowed = entries.withLock { entries -> Bool in
            guard var entry = entries[dataTask.taskIdentifier] else { return false }
            guard entry.outcome.body.count + data.count <= entry.limit else { return true }
            entries[dataTask.taskIdentifier] = nil  // avoid a copy of the body while appending
            entry.outcome.body.append(data)
            entries[dataTask.taskIdentifier] = entry
            return false
        }
        if overflowed { stop(dataTask, because: .tooLarge) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = entries.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        early.withLock { _ = $0.removeValue(forKey: task.taskIdentifier) }
        var outcome = entry.outcome
        outcome.response = task.response
        outcome.error = error
        entry.continuation.resume(returning: outcome)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
