import Foundation
import Live
import Synchronization

/// A transport for unit tests: answers from canned replies instead of the network and records every request.
///
/// Replies come first from the queue given to `enqueue` (in order, one per request), then from the handler; a request
/// neither can answer gets a 501 whose body says so, so a missing canned reply fails the test visibly.
public final class RecordedTransport: HTTPTransport, Sendable {
    /// One canned outcome: an HTTP answer, or a transport failure (dropped connection, timeout, unreachable).
    public enum Reply: Sendable {
        case response(TransportResponse)
        case failure(LiveError)

        /// A JSON answer.
        public static func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Reply {
            .response(.json(status, body, headers: headers))
        }

        /// An answer with no body.
        public static func status(_ status: Int, headers: [(name: String, value: String)] = []) -> Reply {
            .response(TransportResponse(status: status, headers: headers))
        }
    }

    private struct State {
        var queue: [Reply] = []
        var requests: [TransportRequest] = []
    }

    private let state = Mutex(State())
    private let handler: (@Sendable (TransportRequest) -> Reply)?

    /// - Parameter handler: answers requests once the queue is empty (route by `request.url.path` and query).
    public init(handler: (@Sendable (TransportRequest) -> Reply)? = nil) {
        self.handler = handler
    }

    /// Adds replies to answer the next requests, in order.
    public func enqueue(_ replies: Reply...) {
        state.withLock { $0.queue += replies }
    }

    /// Every request sent so far, in order.
    public var requests: [TransportRequest] { state.withLock { $0.requests } }

    public func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse {
        let queued = state.withLock { state -> Reply? in
            state.requests.append(request)
            return state.queue.isEmpty ? nil : state.queue.removeFirst()
        }
        let reply =
            queued ?? handler?(request)
            ?? .json(501, #"{"error":"RecordedTransport has no reply for \#(request.method) \#(request.url.path)"}"#)
        switch reply {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }
}

extension TransportRequest {
    /// The query items, percent-decoded, in order.
    public var queryItems: [(name: String, value: String)] {
        (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}
