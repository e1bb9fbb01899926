import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: each connection's request head is read, then the
/// behaviour decides what the client gets — a raw response, a closed socket, or silence.
final class LoopbackServer: Sendable {
    enum Behaviour: Sendable {
        /// Writes this response text (status line, headers, blank line, body) and closes.
        case respond(String)
        /// Closes the socket without a byte of response.
        case close
        /// Reads the request, then says nothing until the client gives up.
        case silent
    }

    let port: Int
    private let listener: Int32
    private let requests = RequestLog()

    init(_ behaviour: @escaping @Sendable (String) -> Behaviour) throws {
        let (fd, port) = try LoopbackListener.open(backlog: 16)
        self.port = port
        listener = fd
        let log = requests
        let thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    // Closed here, not in `stop()`, so this thread never accepts on a recycled descriptor number.
                    close(fd)
                    return
                }
                var buffer = [UInt8](repeating: 0, count: 65536)
                var received = [UInt8]()
                while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                    let count = read(client, &buffer, buffer.count)
                    if count <= 0 { break }
                    received += buffer[0..<count]
                }
                let text = String(decoding: received, as: UTF8.self)
                log.append(text)
                switch behaviour(text) {
                case .respond(let response):
                    let bytes = Array(response.utf8)
                    _ = bytes.withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
                    close(client)
                case .close:
                    close(client)
                case .silent:
                    // Keep the socket open until the client times out and hangs up.
                    while read(client, &buffer, buffer.count) > 0 {}
                    close(client)
                }
            }
        }
        thread.start()
    }

    /// Request heads received, in order.
    var received: [String] { requests.values }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    static func response(_ status: String, headers: [String] = [], body: String = "") -> Behaviour {
        let head = (["HTTP/1.1 \(status)", "Content-Length: \(body.utf8.count)", "Connection: close"] + headers)
            .joined(separator: "\r\n")
        return .respond(head + "\r\n\r\n" + body)
    }
}

final class RequestLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ text: String) { storage.withLock { $0.append(text) } }
    var values: [String] { storage.withLock { $0 } }
}
