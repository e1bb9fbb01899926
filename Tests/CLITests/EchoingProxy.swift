import Foundation
import Sandbox
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A broken vendor API for the canary-secret tests: a loopback proxy in front of a sandbox that answers with an
/// error body repeating every header it received (the credential as sent, lower-cased and base64-encoded), either
/// for every request or only for writes. Requests it forwards get the sandbox's own credentials in place of the
/// ones stoicprov sent, so a workspace can use distinctive canary secrets.
final class EchoingProxy: Sendable {
    enum Mode: Sendable {
        /// Every request gets a 401 that echoes its credentials.
        case echoEverything
        /// Reads are forwarded to the sandbox; every write gets a 403 that echoes its credentials.
        case echoWrites
    }

    let port: Int
    let upstream: String
    private let listener: Int32
    private let mode: Mutex<Mode>
    private let echoed = Mutex(0)

    init(upstream: String, mode: Mode) throws {
        self.upstream = upstream
        self.mode = Mutex(mode)
        let (fd, port) = try LoopbackListener.open(backlog: 64)
        self.port = port
        listener = fd
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Thread { self.serve(client) }.start()
            }
        }.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Error bodies sent so far that repeated a credential.
    var echoes: Int { echoed.withLock { $0 } }

    func setMode(_ newMode: Mode) { mode.withLock { $0 = newMode } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    // MARK: - One connection

    private struct Request {
        var method: String
        var path: String
        var headers: [(name: String, value: String)]
        var body: Data
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = Self.read(client) else { return }
        let echo: Bool
        switch mode.withLock({ $0 }) {
        case .echoEverything: echo = true
        case .echoWrites: echo = request.method != "GET"
        }
        let (status, body) = echo ? echoing(request) : forward(request)
        let head =
            "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
            + "Connection: close\r\n\r\n"
        let bytes = [UInt8](Data(head.utf8) + body)
        _ = bytes.withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
    }

    /// 401 for a read, 403 for a write, with a body repeating every header value in three forms.
    private func echoing(_ request: Request) -> (Int, Data) {
        echoed.withLock { $0 += 1 }
        // Credentials first: vendors' messages are shortened, and the point is that the key gets through.
        let headers = request.headers.sorted {
            ($0.name.lowercased().contains("auth") ? 0 : 1) < ($1.name.lowercased().contains("auth") ? 0 : 1)
        }
        let repeated = headers.map { header in
            "\(header.name)=\(header.value) lower=\(header.value.lowercased()) b64=\(Data(header.value.utf8).base64EncodedString())"
        }
        let message = "invalid credentials for \(request.method) \(request.path): " + repeated.joined(separator: " ")
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message, "received": repeated])) ?? Data()
        return (request.method == "GET" ? 401 : 403, body)
    }

    /// The request sent on to the sandbox with its own credentials.
    private func forward(_ request: Request) -> (Int, Data) {
        guard let url = URL(string: upstream + request.path) else { return (502, Data()) }
        var forwarded = URLRequest(url: url)
        forwarded.httpMethod = request.method
        let dropped: Set<String> = ["host", "authorization", "x-auth-api-key", "content-length", "connection"]
        for header in request.headers where !dropped.contains(header.name.lowercased()) {
            forwarded.setValue(header.value, forHTTPHeaderField: header.name)
        }
        if request.path.hasPrefix("/thinkific/") {
            forwarded.setValue(SandboxDefaults.thinkificAPIKey, forHTTPHeaderField: "X-Auth-API-Key")
        } else if request.path.hasPrefix("/workos/") {
            forwarded.setValue("Bearer " + SandboxDefaults.workosAPIKey, forHTTPHeaderField: "Authorization")
        } else if request.path.hasPrefix("/scim/") {
            let app = request.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            forwarded.setValue("Bearer " + SandboxDefaults.scimToken(app: app), forHTTPHeaderField: "Authorization")
        }
        if !request.body.isEmpty { forwarded.httpBody = request.body }
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<(Int, Data)>((502, Data()))
        URLSession.shared.dataTask(with: forwarded) { data, response, _ in
            result.withLock { $0 = ((response as? HTTPURLResponse)?.statusCode ?? 502, data ?? Data()) }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 30)
        return result.withLock { $0 }
    }

    /// Reads a request head and its `Content-Length` body.
    private static func read(_ client: Int32) -> Request? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while received.firstRange(of: separator) == nil {
            let count = Glibc.read(client, &buffer, buffer.count)
            if count <= 0 { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
        guard let end = received.firstRange(of: separator) else { return nil }
        let lines = String(decoding: received[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        var body = Data(received[end.upperBound...])
        while body.count < length {
            let count = Glibc.read(client, &buffer, buffer.count)
            if count <= 0 { break }
            body.append(contentsOf: buffer[0..<count])
        }
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: body)
    }
}
