import Foundation

/// HTTP/1.1 request framing on one client socket, as a value: bytes go in (`feed`), actions come out (`next`).
/// It knows nothing of sockets or clocks, so every framing rule — head and body limits, `Content-Length`,
/// `Transfer-Encoding`, `Expect: 100-continue`, pipelining — is testable with plain byte arrays; `HTTPServer`
/// is the thin I/O shell that reads, writes and keeps time (in the style of async-http-client's state machines).
struct RequestFramer {
    /// What the I/O shell does next.
    enum Action {
        /// Read more bytes and `feed` them.
        case needMore
        /// Send `HTTP/1.1 100 Continue` (the client waits for it before sending the body), then ask again.
        case sendContinue
        /// One whole request; ask again for the next (pipelined) one.
        case request(RequestHead, body: Data)
        /// Answer `status` with `{"error": reason}` and close the connection.
        case refuse(status: Int, reason: String)
    }

    private enum State {
        /// Waiting for the blank line that ends a head; `scanned` bytes have been looked at already.
        case head(scanned: Int)
        /// The head is in; waiting for `length` body bytes.
        case body(RequestHead, length: Int, continueSent: Bool)
        /// A refusal was given; nothing more is read.
        case refused
    }

    static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var state = State.head(scanned: 0)

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Whether a request has begun arriving (its first byte, or a head waiting for its body). The shell then
    /// holds the client to the request timeout instead of the idle timeout.
    var isMidRequest: Bool {
        switch state {
        case .head: !buffer.isEmpty
        case .body: true
        case .refused: false
        }
    }

    mutating func feed(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    mutating func next() -> Action {
        switch state {
        case .refused:
            return .needMore
        case .head(var scanned):
            guard let (headLength, consumed) = Self.findHeadEnd(buffer, from: &scanned) else {
                if buffer.count > limits.maxHeaderBytes { return refuse(431, "request header fields too large") }
                state = .head(scanned: scanned)
                return .needMore
            }
            return headArrived(length: headLength, consumed: consumed)
        case .body(let head, let length, let continueSent):
            if buffer.count >= length {
                let body = Data(buffer[0..<length])
                buffer.removeFirst(length)
                state = .head(scanned: 0)
                return .request(head, body: body)
            }
            if !continueSent, head.headers["Expect"]?.lowercased() == "100-continue" {
                state = .body(head, length: length, continueSent: true)
                return .sendContinue
            }
            return .needMore
        }
    }

    /// A whole head is buffered: parse it, check how its body is framed, and go on to the body.
    private mutating func headArrived(length headLength: Int, consumed: Int) -> Action {
        guard headLength <= limits.maxHeaderBytes else { return refuse(431, "request header fields too large") }
        let head: RequestHead
        switch RequestHead.parse(buffer[0..<headLength]) {
        case .reject(let status, let reason): return refuse(status, reason)
        case .request(let parsed): head = parsed
        }
        buffer.removeFirst(consumed)
        switch Self.bodyLength(of: head, limit: limits.maxBodyBytes) {
        case .failure(let refusal): return refuse(refusal.status, refusal.reason)
        case .success(let length):
            state = .body(head, length: length, continueSent: false)
            return next()
        }
    }

    private mutating func refuse(_ status: Int, _ reason: String) -> Action {
        state = .refused
        buffer.removeAll()
        return .refuse(status: status, reason: reason)
    }

    struct Refusal: Error, Equatable {
        var status: Int
        var reason: String
    }

    /// The body length a head announces: `Content-Length` only (`Transfer-Encoding` → 411). Repeated or
    /// comma-joined lengths must agree; anything but digits → 400; more than `limit` → 413, however many digits.
    static func bodyLength(of head: RequestHead, limit: Int) -> Result<Int, Refusal> {
        if head.headers["Transfer-Encoding"] != nil {
            return .failure(Refusal(status: 411, reason: "chunked request bodies are not supported; send Content-Length"))
        }
        let lengths = head.headers.fields.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        guard let first = lengths.first else { return .success(0) }
        let values = Set(lengths.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        guard values.count == 1, let text = values.first, !text.isEmpty,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return .failure(Refusal(status: 400, reason: "invalid Content-Length '\(first)'")) }
        // Digits only: a value that does not fit in Int is simply too large.
        guard let value = Int(text), value <= limit else {
            return .failure(Refusal(status: 413, reason: "request body larger than \(limit) bytes"))
        }
        return .success(value)
    }

    /// Finds the blank line ending a head: returns (head length, bytes including the blank line), or `nil`.
    /// `scanned` remembers how far earlier calls looked so each byte is examined about once.
    static func findHeadEnd(_ buffer: [UInt8], from scanned: inout Int) -> (Int, Int)? {
        var index = max(0, scanned - 3)
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                if index >= 1, buffer[index - 1] == UInt8(ascii: "\n") { return (index - 1, index + 1) }
                if index >= 2, buffer[index - 1] == UInt8(ascii: "\r"), buffer[index - 2] == UInt8(ascii: "\n") {
                    return (index - 2, index + 1)
                }
            }
            index += 1
        }
        scanned = buffer.count
        return nil
    }
}
