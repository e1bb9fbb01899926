import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 reverse proxy on 127.0.0.1 that behaves like the threaded proxies and load balancers in front of
/// real APIs (issue 15): it serves exactly one request per client connection, forwards it upstream over a new
/// connection, relays the answer, then closes the client connection — announcing it with `Connection: close` or not.
///
/// Every exchange is recorded: the `Content-Length` the client declared and the body bytes that actually arrived,
/// so a test can see a write that left without its body.
public final class ReverseProxy: @unchecked Sendable {
    // @unchecked: the file descriptors are set once; the log is behind a mutex.

    /// What the proxy does with `Expect: 100-continue`.
    public enum ExpectHandling: String, Sendable, CaseIterable {
        /// Sends `100 Continue` at once, then reads the body.
        case answer
        /// Says nothing and waits for the body (the client sends it after its own wait).
        case ignore
        /// Answers `417 Expectation Failed` and closes the connection.
        case refuse
    }

    public struct Behaviour: Sendable, CustomStringConvertible {
        /// Whether the relayed answer carries `Connection: close` (the connection is closed after it either way).
        public var announcesClose: Bool
        public var expect: ExpectHandling
        /// Seconds between sending the answer and closing the client connection, like a threaded server tearing down
        /// its handler. A client that reuses the connection meanwhile sends into a socket about to close.
        public var closeDelay: Double
        /// How long the proxy waits for a declared body before it gives up on the exchange.
        public var bodyWait: Double

        public init(announcesClose: Bool, expect: ExpectHandling = .answer, closeDelay: Double = 0.02, bodyWait: Double = 60) {
            self.announcesClose = announcesClose
            self.expect = expect
            self.closeDelay = closeDelay
            self.bodyWait = bodyWait
        }

        public var description: String {
            "\(announcesClose ? "Connection: close" : "silent close"), expect \(expect.rawValue)"
        }

        /// The six combinations of issue 15.
        public static var all: [Behaviour] {
            [false, true].flatMap { close in ExpectHandling.allCases.map { Behaviour(announcesClose: close, expect: $0) } }
        }
    }

    /// One request as the proxy saw it.
    public struct Exchange: Sendable, CustomStringConvertible {
        public var method: String
        public var target: String
        /// The client's `Content-Length`, if it sent one.
        public var declaredLength: Int?
        /// Body bytes that arrived.
        public var receivedLength: Int
        public var sentExpectContinue: Bool
        /// The status relayed to the client, or `nil` when the exchange ended without an answer.
        public var status: Int?
        /// Seconds from the end of the request head to the answer (or to giving up).
        public var seconds: Double
        /// The client connection's number (from 1) and how many requests arrived on it before this one.
        public var connection: Int

        /// Whether a declared body arrived short.
        public var isMissingBody: Bool { (declaredLength ?? 0) > receivedLength }

        public var description: String {
            let length = declaredLength.map { "\(receivedLength)/\($0) body bytes" } ?? "no body"
            let answer = status.map { "→ \($0)" } ?? "→ no answer"
            let expect = sentExpectContinue ? ", Expect: 100-continue" : ""
            return "#\(connection) \(method) \(target) \(length)\(expect) \(answer) in \(String(format: "%.2f", seconds)) s"
        }
    }

    public let port: Int
    public let behaviour: Behaviour
    private let upstreamPort: Int
    private let listener: Int32
    private let log = Mutex<[Exchange]>([])
    private let connections = Mutex(0)

    /// Listens on a free loopback port and forwards to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int, behaviour: Behaviour) throws {
        signal(SIGPIPE, SIG_IGN)
        self.upstreamPort = upstreamPort
        self.behaviour = behaviour
        (listener, port) = try LoopbackListener.open(backlog: 128)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// `http://127.0.0.1:PORT`
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Every exchange so far, in the order they ended.
    public var exchanges: [Exchange] { log.withLock { $0 } }

    /// Stops accepting; exchanges under way finish on their own threads. The accept thread closes the listening
    /// socket as it ends, so it never accepts on a recycled descriptor number.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            let number = connections.withLock { count -> Int in
                count += 1
                return count
            }
            let thread = Thread { [self] in
                if serve(client, number: number), behaviour.closeDelay > 0 {
                    usleep(UInt32(behaviour.closeDelay * 1_000_000))
                }
                close(client)
            }
            thread.start()
        }
    }

    /// Serves one exchange and records it; whether an answer was sent.
    private func serve(_ client: Int32, number: Int) -> Bool {
        var buffer: [UInt8] = []
        guard let headEnd = Self.readHead(client, into: &buffer, wait: 30) else { return false }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return false }
        let fields = lines.dropFirst().compactMap(Self.field)
        let declared = fields.first { $0.name == "content-length" }.flatMap { Int($0.value) }
        let expects = fields.contains { $0.name == "expect" && $0.value.lowercased() == "100-continue" }
        var exchange = Exchange(
            method: String(requestLine[0]), target: String(requestLine[1]), declaredLength: declared, receivedLength: 0,
            sentExpectContinue: expects, status: nil, seconds: 0, connection: number)
        let start = Date()
        defer {
            exchange.seconds = Date().timeIntervalSince(start)
            let finished = exchange
            log.withLock { $0.append(finished) }
        }
        if expects, buffer.count < (declared ?? 0) {
            switch behaviour.expect {
            case .answer:
                guard Self.sendAll(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return false }
            case .ignore:
                break
            case .refuse:
                let refusal = "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                if Self.sendAll(client, Array(refusal.utf8)) { exchange.status = 417 }
                return true
            }
        }
        let wanted = declared ?? 0
        let deadline = Date().addingTimeInterval(behaviour.bodyWait)
        while buffer.count < wanted, Self.readMore(client, into: &buffer, until: deadline) {}
        exchange.receivedLength = min(buffer.count, wanted)
        guard buffer.count >= wanted else { return false }
        let body = Array(buffer[0..<wanted])
        guard let answer = forward(method: exchange.method, target: exchange.target, fields: fields, body: body) else {
            return false
        }
        guard Self.sendAll(client, answer.bytes) else { return false }
        exchange.status = answer.status
        return true
    }

    /// Sends the request upstream over a new connection and returns the answer to relay.
    private func forward(
        method: String, target: String, fields: [(name: String, value: String, raw: String)], body: [UInt8]
    ) -> (status: Int, bytes: [UInt8])? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let dropped: Set<String> = ["connection", "keep-alive", "expect", "proxy-connection"]
        var head = "\(method) \(target) HTTP/1.1\r\n"
        for field in fields where !dropped.contains(field.name) { head += field.raw + "\r\n" }
        head += "Connection: close\r\n\r\n"
        guard Self.sendAll(upstream, Array(head.utf8) + body) else { return nil }
        var response: [UInt8] = []
        let deadline = Date().addingTimeInterval(60)
        while Self.readMore(upstream, into: &response, until: deadline) {}
        guard let headEnd = Self.headEnd(response) else { return nil }
        let responseHead = String(decoding: response[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let status = responseHead[0].split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var relayed = responseHead[0] + "\r\n"
        for line in responseHead.dropFirst() {
            guard let field = Self.field(line), !dropped.contains(field.name) else { continue }
            relayed += line + "\r\n"
        }
        if behaviour.announcesClose { relayed += "Connection: close\r\n" }
        relayed += "\r\n"
        return (status, Array(relayed.utf8) + response[(headEnd + 4)...])
    }

    // MARK: - Sockets

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func field(_ line: String) -> (name: String, value: String, raw: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return (name, value, line)
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func readHead(_ fd: Int32, into buffer: inout [UInt8], wait: Double) -> Int? {
        let deadline = Date().addingTimeInterval(wait)
        while true {
            if let end = headEnd(buffer) { return end }
            guard buffer.count < 65536, readMore(fd, into: &buffer, until: deadline) else { return nil }
        }
    }

    /// Reads what is available before `deadline`; `false` at end of stream, on error or when the deadline passed.
    private static func readMore(_ fd: Int32, into buffer: inout [UInt8], until deadline: Date) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            let ready = poll(&poller, 1, Int32(min(remaining, 3600) * 1000) + 1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return false }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            while offset < buffer.count {
                let sent = send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }
}
