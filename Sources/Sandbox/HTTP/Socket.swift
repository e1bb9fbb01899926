import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the POSIX socket calls the server needs.
enum Socket {
    #if canImport(Glibc)
        static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
        static let streamType = SOCK_STREAM
    #endif

    /// A resolved address to listen on.
    struct Address {
        var storage: sockaddr_storage
        var length: socklen_t
        var family: Int32 { Int32(storage.ss_family) }
    }

    /// The last `errno` as text.
    static var lastError: String { String(cString: strerror(errno)) }

    /// Resolves `host` (a numeric address or a name such as `localhost`) for a passive TCP socket, preferring IPv4.
    static func resolve(host: String, port: Int) -> Result<Address, SandboxError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            return .failure(.bind(address: "\(host):\(port)", reason: String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var chosen: UnsafeMutablePointer<addrinfo>?
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET {
                chosen = entry
                break
            }
            if chosen == nil, entry.pointee.ai_family == AF_INET6 { chosen = entry }
            cursor = entry.pointee.ai_next
        }
        guard let chosen, let sockaddrPointer = chosen.pointee.ai_addr else {
            return .failure(.bind(address: "\(host):\(port)", reason: "no IPv4 or IPv6 address"))
        }
        var storage = sockaddr_storage()
        let length = chosen.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: sockaddrPointer, count: Int(length)))
        }
        return .success(Address(storage: storage, length: length))
    }

    /// The numeric host and port of a socket address.
    static func describe(_ storage: sockaddr_storage) -> (host: String, port: Int, isLoopback: Bool) {
        var storage = storage
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                if Int32(generic.pointee.sa_family) == AF_INET {
                    return generic.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        var address = v4.pointee.sin_addr
                        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                        inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                        let firstOctet = UInt8(truncatingIfNeeded: UInt32(bigEndian: address.s_addr) >> 24)
                        return (decode(text), Int(UInt16(bigEndian: v4.pointee.sin_port)), firstOctet == 127)
                    }
                }
                if Int32(generic.pointee.sa_family) == AF_INET6 {
                    return generic.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var address = v6.pointee.sin6_addr
                        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                        inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                        let host = decode(text)
                        let isLoopback = host == "::1" || host.lowercased().hasPrefix("::ffff:127.")
                        return (host, Int(UInt16(bigEndian: v6.pointee.sin6_port)), isLoopback)
                    }
                }
                return ("?", 0, false)
            }
        }
    }

    private static func decode(_ text: [CChar]) -> String {
        String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    static func setTimeout(_ fd: Int32, _ name: Int32, seconds: Double) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        _ = setsockopt(fd, SOL_SOCKET, name, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends every byte; `false` when the peer is gone or the send timed out. Never raises `SIGPIPE`.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            while offset < buffer.count {
                #if canImport(Glibc)
                    let flags = Int32(MSG_NOSIGNAL)
                #else
                    let flags: Int32 = 0
                #endif
                let sent = send(fd, base + offset, buffer.count - offset, flags)
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }

    /// Waits until `fd` is readable or `wake` is (the server is stopping), at most `timeout` seconds.
    enum WaitResult { case readable, timedOut, stopping }

    static func waitReadable(_ fd: Int32, wake: Int32, timeout: Double) -> WaitResult {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(max(0, min(timeout, 86_400)) * 1000)
        while true {
            let ready = poll(&fds, 2, milliseconds)
            if ready < 0, errno == EINTR { continue }
            if ready < 0 { return .stopping }
            if ready == 0 { return .timedOut }
            if fds[1].revents != 0 { return .stopping }
            return .readable
        }
    }
}
