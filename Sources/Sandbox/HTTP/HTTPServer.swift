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
            thread.name = "sandbox-client"
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

    // MARK: - One client

    /// Serves one client socket until it closes, times out, is refused or the server stops. The framing rules
    /// live in `RequestFramer`; this loop only moves bytes and keeps time: the idle timeout until a request's
    /// first byte, then the request timeout until its head and body are in.
    private func serve(_ fd: Int32, peer: PeerAddress) {
        var socket = ClientSocket(fd: fd, wake: wakeRead, sendTimeout: limits.idleTimeout)
        var framer = RequestFramer(limits: limits)
        var requestDeadline: Date?
        while true {
            switch framer.next() {
            case .needMore:
                if framer.isMidRequest, requestDeadline == nil {
                    requestDeadline = Date().addingTimeInterval(limits.requestTimeout)
                }
                let deadline = requestDeadline ?? Date().addingTimeInterval(limits.idleTimeout)
                switch socket.read(until: deadline, into: { framer.feed($0) }) {
                case .data: continue
                case .closed: return
                case .timedOut:
                    if requestDeadline != nil { socket.refuse(408, "request timeout", discardLimit: limits.maxBodyBytes) }
                    return
                }
            case .sendContinue:
                guard socket.send(RequestFramer.continueBytes) else { return }
            case .refuse(let status, let reason):
                socket.refuse(status, reason, discardLimit: limits.maxBodyBytes)
                return
            case .request(let head, let body):
                requestDeadline = nil
                guard answer(head, body: body, peer: peer, on: socket) else { return }
            }
        }
    }

    /// Hands one request to the handler and sends its answer; `false` when the connection is to close.
    private func answer(_ head: RequestHead, body: Data, peer: PeerAddress, on socket: ClientSocket) -> Bool {
        let request = HTTPRequest(
            method: head.method, path: head.path, query: head.rawQuery.map { HTTPRequest.parseQuery($0) } ?? [],
            headers: head.headers, body: body)
        switch handler(request, peer) {
        case .drop:
            return false
        case .response(let response):
            let keepAlive = head.wantsKeepAlive && !stopping
            let bytes = response.serialized(keepAlive: keepAlive, omitBody: head.method == "HEAD", date: HTTPResponse.httpDate())
            return socket.send(bytes) && keepAlive
        }
    }
}
