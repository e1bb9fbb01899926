import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who sent a request.
public struct PeerAddress: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// `127.0.0.0/8` or `::1` (or an IPv4-mapped loopback address).
    public var isLoopback: Bool
}

/// What the server does with a request: answer it, or close the connection without a word.
public enum HTTPReply: Sendable {
    case response(HTTPResponse)
    case drop
}

/// An HTTP/1.1 server over POSIX sockets: a thread per connection (bounded), keep-alive, `Content-Length` bodies.
/// Malformed requests get a clean 4xx and the connection closes; nothing a client sends can crash it.
final class HTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest, PeerAddress) -> HTTPReply

    private let limits: HTTPLimits
    private let handler: Handler
    private let listenFD: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Guards `active`, `isStopping` and `acceptLoopDone`.
    private let condition = NSCondition()
    private var active = 0
    private var isStopping = false
    private var acceptLoopDone = false
    private var accepted = 0
    /// The address actually bound (port resolved when 0 was asked for).
    let boundHost: String
    let boundPort: Int
    let isIPv6: Bool

    /// Binds and listens; serving starts with `start()`.
    init(address: Socket.Address, display: String, limits: HTTPLimits, handler: @escaping Handler) throws(SandboxError) {
        self.limits = limits
        self.handler = handler
        let fd = socket(address.family, Socket.streamType, 0)
        guard fd >= 0 else { throw .bind(address: display, reason: Socket.lastError) }
        Socket.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        var storage = address.storage
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
        }
        guard bound == 0 else {
            let reason = Socket.lastError
            close(fd)
            throw .bind(address: display, reason: reason)
        }
        guard listen(fd, 512) == 0 else {
            let reason = Socket.lastError
            close(fd)
            throw .bind(address: display, reason: reason)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var local = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let described = Socket.describe(local)
        boundHost = described.host
        boundPort = described.port
        isIPv6 = address.family == AF_INET6
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            let reason = Socket.lastError
            close(fd)
            throw .bind(address: display, reason: reason)
        }
        listenFD = fd
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
    }

    /// Starts accepting connections on a background thread.
    func start() {
        signal(SIGPIPE, SIG_IGN)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "sandbox-accept"
        thread.start()
    }

    /// Stops accepting, wakes idle connections so they close, waits (up to `shutdownGrace`) for requests being
    /// handled to finish and be answered, then releases the sockets. Safe to call more than once.
    func stop() {
        condition.lock()
        if isStopping {
            condition.unlock()
            return
        }
        isStopping = true
        condition.broadcast()
        condition.unlock()
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)

        condition.lock()
        while !acceptLoopDone { condition.wait() }
        condition.unlock()
        close(listenFD)

        condition.lock()
        let deadline = Date().addingTimeInterval(limits.shutdownGrace)
        while active > 0 {
            if !condition.wait(until: deadline) { break }
        }
        let drained = active == 0
        condition.unlock()
        if drained {
            close(wakeRead)
            close(wakeWrite)
        }
    }

    // MARK: - Accepting

    private func acceptLoop() {
        defer {
            condition.lock()
            acceptLoopDone = true
            condition.broadcast()
            condition.unlock()
        }
        while true {
            switch Socket.waitReadable(listenFD, wake: wakeRead, timeout: 3600) {
            case .stopping: return
            case .timedOut: continue
            case .readable: break
            }
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &length) }
            }
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM { usleep(10_000) }
                continue
            }
            condition.lock()
            while active >= limits.maxConnections && !isStopping { condition.wait() }
            if isStopping {
                condition.unlock()
                close(fd)
                return
            }
            active += 1
            accepted += 1
            condition.unlock()

            let described = Socket.describe(peer)
            let address = PeerAddress(host: described.host, port: described.port, isLoopback: described.isLoopback)
            let thread = Thread { [self] in
                serve(fd, peer: address)
                close(fd)
                condition.lock()
                active -= 1
                condition.broadcast()
                condition.unlock()
            }
            thread.name = "sandbox-connection"
            thread.start()
        }
    }

    /// Connections accepted since start.
    var acceptedConnections: Int {
        condition.lock()
        defer { condition.unlock() }
        return accepted
    }

    private var stopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isStopping
    }

    // MARK: - One connection

    private func serve(_ fd: Int32, peer: PeerAddress) {
        Socket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        Socket.setTimeout(fd, SO_SNDTIMEO, seconds: limits.idleTimeout)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)

        /// Reads more bytes into `buffer`.
        func readMore(deadline: Date) -> ReadResult {
            switch Socket.waitReadable(fd, wake: wakeRead, timeout: deadline.timeIntervalSinceNow) {
            case .readable: break
            case .timedOut: return .timedOut
            case .stopping: return .closed
            }
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return .closed }
                buffer.append(contentsOf: chunk[0..<count])
                return .data
            }
        }

        /// Answers with an error and closes gracefully: our side is shut down first and what the client is still
        /// sending is read and discarded for a moment, so closing does not reset the connection before the client
        /// has read the answer.
        func refuse(_ status: Int, _ reason: String) {
            let response = HTTPResponse.json(status, object: ["error": reason])
            guard Socket.sendAll(fd, response.serialized(keepAlive: false, omitBody: false, date: HTTPResponse.httpDate()))
            else { return }
            shutdown(fd, Int32(SHUT_WR))
            let deadline = Date().addingTimeInterval(1)
            var discarded = 0
            buffer.removeAll()
            while discarded < limits.maxBodyBytes, case .data = readMore(deadline: deadline) {
                discarded += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }

        while true {
            // The head: wait (idle timeout) for the first byte, then the whole head within the request timeout.
            var scanned = 0
            var headEnd: (Int, Int)?
            var requestDeadline = Date().addingTimeInterval(limits.idleTimeout)
            var started = !buffer.isEmpty
            if started { requestDeadline = Date().addingTimeInterval(limits.requestTimeout) }
            while headEnd == nil {
                headEnd = Self.findHeadEnd(buffer, from: &scanned)
                if headEnd != nil { break }
                if buffer.count > limits.maxHeaderBytes {
                    refuse(431, "request header fields too large")
                    return
                }
                switch readMore(deadline: requestDeadline) {
                case .data: break
                case .closed: return
                case .timedOut:
                    if started { refuse(408, "request timeout") }
                    return
                }
                if !started {
                    started = true
                    requestDeadline = Date().addingTimeInterval(limits.requestTimeout)
                }
            }
            guard let (headLength, consumed) = headEnd else { return }
            guard headLength <= limits.maxHeaderBytes else {
                refuse(431, "request header fields too large")
                return
            }
            let head: RequestHead
            switch RequestHead.parse(buffer[0..<headLength]) {
            case .reject(let status, let reason):
                refuse(status, reason)
                return
            case .request(let parsed):
                head = parsed
            }
            buffer.removeFirst(consumed)

            // The body: Content-Length only.
            if head.headers["Transfer-Encoding"] != nil {
                refuse(411, "chunked request bodies are not supported; send Content-Length")
                return
            }
            let lengths = head.headers.fields.filter { $0.name.lowercased() == "content-length" }.map(\.value)
            var bodyLength = 0
            if let first = lengths.first {
                let values = Set(lengths.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
                guard values.count == 1, let text = values.first, !text.isEmpty, text.count <= 18,
                    text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text)
                else {
                    refuse(400, "invalid Content-Length '\(first)'")
                    return
                }
                bodyLength = value
            }
            guard bodyLength <= limits.maxBodyBytes else {
                refuse(413, "request body larger than \(limits.maxBodyBytes) bytes")
                return
            }
            if bodyLength > buffer.count, head.headers["Expect"]?.lowercased() == "100-continue" {
                guard Socket.sendAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            while buffer.count < bodyLength {
                switch readMore(deadline: requestDeadline) {
                case .data: break
                case .closed: return
                case .timedOut:
                    refuse(408, "request timeout")
                    return
                }
            }
            let body = Data(buffer[0..<bodyLength])
            buffer.removeFirst(bodyLength)

            let request = HTTPRequest(
                method: head.method, path: head.path, query: head.rawQuery.map { HTTPRequest.parseQuery($0) } ?? [],
                headers: head.headers, body: body)
            switch handler(request, peer) {
            case .drop:
                return
            case .response(let response):
                let keepAlive = head.wantsKeepAlive && !stopping
                let bytes = response.serialized(
                    keepAlive: keepAlive, omitBody: head.method == "HEAD", date: HTTPResponse.httpDate())
                guard Socket.sendAll(fd, bytes), keepAlive else { return }
            }
        }
    }

    private enum ReadResult { case data, closed, timedOut }

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
