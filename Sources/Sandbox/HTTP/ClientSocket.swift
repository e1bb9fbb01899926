import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The accepted TCP socket of one client, as the server's I/O shell uses it: wait-and-read with a deadline (woken
/// early when the server stops), send everything, refuse gracefully. It does not own the descriptor: the accept
/// loop closes it.
struct ClientSocket {
    enum ReadResult { case data, closed, timedOut }

    let fd: Int32
    /// The server's wake pipe: readable once the server is stopping.
    let wake: Int32
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32, wake: Int32, sendTimeout: Double) {
        self.fd = fd
        self.wake = wake
        Socket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        Socket.setTimeout(fd, SO_SNDTIMEO, seconds: sendTimeout)
    }

    /// Waits (until `deadline`) for bytes and hands what one `recv` returns to `consume`.
    mutating func read(until deadline: Date, into consume: (ArraySlice<UInt8>) -> Void) -> ReadResult {
        switch Socket.waitReadable(fd, wake: wake, timeout: deadline.timeIntervalSinceNow) {
        case .readable: break
        case .timedOut: return .timedOut
        case .stopping: return .closed
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return .closed }
            consume(chunk[0..<count])
            return .data
        }
    }

    /// Sends every byte; `false` when the client is gone or the send timed out.
    func send(_ bytes: [UInt8]) -> Bool {
        Socket.sendAll(fd, bytes)
    }

    /// Answers `status` with `{"error": reason}` and closes gracefully: our side is shut down first and what the
    /// client is still sending is read and discarded for a moment (at most `discardLimit` bytes), so closing does
    /// not reset the connection before the client has read the answer.
    mutating func refuse(_ status: Int, _ reason: String, discardLimit: Int) {
        let response = HTTPResponse.json(status, object: ["error": reason])
        guard send(response.serialized(keepAlive: false, omitBody: false, date: HTTPResponse.httpDate())) else { return }
        shutdown(fd, Int32(SHUT_WR))
        let deadline = Date().addingTimeInterval(1)
        var discarded = 0
        while discarded < discardLimit, case .data = read(until: deadline, into: { discarded += $0.count }) {}
    }
}
