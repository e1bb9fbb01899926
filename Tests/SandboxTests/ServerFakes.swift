import Foundation
import Synchronization
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// A small surface for server tests: echoes requests, keeps a counter of items, records what it saw.
final class FakeSurface: Surface {
    let name: String
    private let state = Mutex<(items: [String], seen: [HTTPRequest])>(([], []))
    /// When set, `handle` waits on it (to hold a request in flight).
    let gate: DispatchSemaphore?
    let entered = DispatchSemaphore(value: 0)

    init(name: String = "fake", gate: DispatchSemaphore? = nil) {
        self.name = name
        self.gate = gate
    }

    var items: [String] { state.withLock { $0.items } }
    var seen: [HTTPRequest] { state.withLock { $0.seen } }

    func handle(_ request: HTTPRequest, path: String) -> HTTPResponse {
        state.withLock { $0.seen.append(request) }
        entered.signal()
        gate?.wait()
        switch (request.method, path) {
        case ("POST", "/items"):
            let item = String(decoding: request.body, as: UTF8.self)
            state.withLock { $0.items.append(item) }
            return .json(201, object: ["item": item])
        case ("GET", "/big"):
            return HTTPResponse(status: 200, body: Data(repeating: UInt8(ascii: "b"), count: 8 * 1024 * 1024))
        case ("GET", "/items"):
            return .json(200, object: ["items": items])
        case (_, let path) where path.hasPrefix("/echo"):
            return .json(
                200,
                object: [
                    "method": request.method, "path": path, "full_path": request.path,
                    "query": request.query.map { [$0.name, $0.value] },
                    "body": String(decoding: request.body, as: UTF8.self),
                    "header": request.headers["X-Test"] ?? "",
                ])
        default:
            return .json(404, object: ["error": "not found"])
        }
    }

    func routeTemplate(method: String, path: String) -> String? {
        if path == "/items" { return "/items" }
        if path.hasPrefix("/echo") { return "/echo" }
        return nil
    }

    func snapshot() throws -> Data {
        try JSONSerialization.data(withJSONObject: ["items": items])
    }

    func restore(from snapshot: Data) throws {
        let object = try JSONSerialization.jsonObject(with: snapshot) as? [String: Any]
        let restored = object?["items"] as? [String] ?? []
        state.withLock { $0.items = restored }
    }

    func reset() {
        state.withLock { $0 = ([], []) }
    }

    func handleControl(_ request: HTTPRequest, path: String) -> HTTPResponse? {
        guard request.method == "POST", path == "/add" else { return nil }
        state.withLock { $0.items.append("control") }
        return .json(200, object: ["added": "control"])
    }
}

/// Starts a server on a free loopback port and stops it when the body returns.
func withServer<T>(
    _ surfaces: [any Surface], configure: (inout SandboxConfiguration) -> Void = { _ in },
    _ body: (String, SandboxServer) throws -> T
) throws -> T {
    var configuration = SandboxConfiguration()
    configure(&configuration)
    let server = try SandboxServer(configuration, surfaces: surfaces)
    let root = try server.start()
    defer { server.stop() }
    return try body(root, server)
}

/// A blocking raw TCP client for hostile and keep-alive cases.
final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, ipv6: Bool = false) throws {
        fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let result: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_loopback
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else { throw RawClientError.connect }
        // A hung server fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one response (head + Content-Length body); `nil` when the server closed without a full response.
    func readResponse() -> RawResponse? {
        readResponse(hasBody: true)
    }

    /// Reads a response to `HEAD`: the head only, whatever its `Content-Length` says.
    func readResponseHead() -> RawResponse? {
        readResponse(hasBody: false)
    }

    private func readResponse(hasBody: Bool) -> RawResponse? {
        while true {
            if let end = findHeadEnd() {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let status = Int(lines[0].split(separator: " ")[1]) ?? 0
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                        .trimmingCharacters(in: .whitespaces)
                }
                let length = hasBody ? Int(headers["content-length"] ?? "0") ?? 0 : 0
                while buffer.count < end + 4 + length {
                    guard readMore() else { return nil }
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                if status == 100 { continue }
                return RawResponse(status: status, headers: headers, body: body)
            }
            guard readMore() else { return nil }
        }
    }

    /// True when the server has closed the connection (reads end of stream) with nothing more to read.
    func readsEndOfStream() -> Bool {
        buffer.isEmpty && !readMore() && buffer.isEmpty
    }

    private func readMore() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

enum RawClientError: Error { case connect }

struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    var json: [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }
}

/// The port of a root URL such as `http://127.0.0.1:4321`.
func port(of root: String) -> Int {
    Int(root.split(separator: ":").last!)!
}
