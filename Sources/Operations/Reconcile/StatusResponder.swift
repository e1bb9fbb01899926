import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `reconcile --listen ADDR`: a tiny HTTP/1.0 responder on a loopback address for `/healthz` and `/metrics`. One
/// connection at a time on one thread; each request head may be at most 8 KiB and must arrive within 2 seconds;
/// every answer closes the connection. Only `GET` of a path the `answer` closure knows is served; anything else is
/// 404 (or 405). Non-loopback addresses are refused: the metrics name tenants and connections.
public final class StatusResponder: Sendable {
    /// What to answer for a path: status, content type and body.
    public typealias Answer = @Sendable (String) -> (status: Int, contentType: String, body: String)?

    private let descriptor: Int32
    private let answer: Answer
    private let stopped = Atomic<Bool>(false)
    /// The bound port (useful with port 0).
    public let port: Int

    /// Binds `address` (`127.0.0.1:9464`, `localhost:0`) and starts serving on a thread of its own.
    public init(address: String, answer: @escaping Answer) throws(OperationsError) {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw .listen(address: address, reason: "expected HOST:PORT") }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        guard host.hasPrefix("127.") else { throw .listen(address: address, reason: "only a loopback address is served") }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &socketAddress.sin_addr) == 1 else {
            throw .listen(address: address, reason: "not an IPv4 address")
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .listen(address: address, reason: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .listen(address: address, reason: reason)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.answer = answer
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Stops accepting; the socket is closed.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    private func serve() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(descriptor, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            respond(client)
            close(client)
        }
    }

    private func respond(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while head.count < 8192, !head.containsTerminator {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            head += buffer[0..<count]
        }
        let line = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        var reply: (status: Int, contentType: String, body: String)
        if !head.containsTerminator {
            reply = (431, "text/plain", "request header too large\n")
        } else if line.count < 2 || line[0] != "GET" {
            reply = (405, "text/plain", "only GET\n")
        } else {
            let path = String(line[1].prefix { $0 != "?" })
            reply = answer(path) ?? (404, "text/plain", "not found\n")
        }
        let reason = [200: "OK", 404: "Not Found", 405: "Method Not Allowed", 431: "Too Large", 503: "Service Unavailable"]
        let body = Array(reply.body.utf8)
        let text =
            "HTTP/1.0 \(reply.status) \(reason[reply.status] ?? "Status")\r\nContent-Type: \(reply.contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(text.utf8) + body
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

extension [UInt8] {
    fileprivate var containsTerminator: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4)
        where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}
