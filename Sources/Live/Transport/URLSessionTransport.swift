import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The production transport: URLSession from FoundationNetworking, one ephemeral session per transport.
///
/// Redirects are never followed (a 3xx comes back as a response), cookies and caches are off, and every request
/// carries its own timeout. URLSession's error codes are mapped to the transport cases of `LiveError`, so a caller
/// can tell "never reached the server" (safe to retry anything) from "dropped after sending" (retry reads only).
///
/// Requests with a body never go over a reused connection. When a reused keep-alive connection closes without an
/// answer, libcurl silently sends the request again on a new one, rewinding the body through FoundationNetworking's
/// seek callback — which on Linux does not rewind an in-memory body: the retry goes out with its `Content-Length`
/// and no body bytes, and hangs until a timeout. So writes use their own session and `Connection: close`: a
/// connection closed without an answer surfaces at once as `connectionDropped`, and the retry policy (not libcurl)
/// decides whether sending again is safe. Reads keep their pooled connections (libcurl's silent retry of a bodiless
/// request is harmless).
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: URLSession is thread-safe; the delegate holds no state.
    private let session: URLSession
    /// For requests with a body: one connection per request.
    private let writeSession: URLSession

    /// - Parameter maximumConnectionsPerHost: the socket pool size; keep it at least the callers' concurrency.
    public init(maximumConnectionsPerHost: Int = 16) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        // Each request's own timer (below) is the timeout; the session's must not cut in first.
        configuration.timeoutIntervalForRequest = 3600
        configuration.timeoutIntervalForResource = 3600
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        writeSession = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
        writeSession.finishTasksAndInvalidate()
    }

    public func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse {
        var urlRequest = URLRequest(
            url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        urlRequest.httpBody = request.body
        let hasBody = request.body != nil
        if hasBody { urlRequest.setValue("close", forHTTPHeaderField: "Connection") }
        let session = hasBody ? writeSession : session
        let host = request.url.host ?? request.url.absoluteString
        // URLSession on Linux keeps to the session's request timeout whatever the request says, so each request
        // carries its own timer that cancels the task and reports a timeout.
        let timedOut = Mutex(false)
        let outcome: Result<(Data, URLResponse), any Error> = await withCheckedContinuation { continuation in
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if timedOut.withLock({ $0 }) {
                    continuation.resume(returning: .failure(URLError(.timedOut)))
                } else if let response, error == nil {
                    continuation.resume(returning: .success((data ?? Data(), response)))
                } else {
                    continuation.resume(returning: .failure(error ?? URLError(.badServerResponse)))
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout) { [weak task] in
                guard let task, task.state == .running else { return }
                timedOut.withLock { $0 = true }
                task.cancel()
            }
            task.resume()
        }
        switch outcome {
        case .success((let data, let response)):
            guard let http = response as? HTTPURLResponse else {
                throw .connectionDropped(host: host, reason: "not an HTTP response")
            }
            var headers: [(name: String, value: String)] = []
            for (name, value) in http.allHeaderFields {
                headers.append((String(describing: name), String(describing: value)))
            }
            return TransportResponse(status: http.statusCode, headers: headers, body: data)
        case .failure(let error):
            throw Self.map(error, host: host, timeout: request.timeout)
        }
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

/// Hands a 3xx back to the caller instead of following it: a redirect of an authenticated API call is a surprise.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
