import Foundation

/// The request line and header fields of one HTTP/1.x request, parsed from the bytes before the blank line.
struct RequestHead: Sendable {
    var method: String
    /// The path of the target without its query, as sent (no percent-decoding).
    var path: String
    /// The raw query string after `?`, if any.
    var rawQuery: String?
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    var headers: HTTPHeaders

    /// What parsing a head leads to: a request, or a status to refuse it with (the connection then closes).
    enum Outcome: Sendable {
        case request(RequestHead)
        case reject(status: Int, reason: String)
    }

    /// Whether the client asked to keep the connection open after this request.
    var wantsKeepAlive: Bool {
        // HTTP/1.0 connections always close: the sandbox does not do 1.0-style keep-alive.
        guard minorVersion >= 1 else { return false }
        let tokens = (headers["Connection"] ?? "").lowercased().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return !tokens.contains("close")
    }

    /// Parses `bytes`: everything up to, not including, the `\r\n\r\n` that ends the head. Bare `\n` line ends
    /// are accepted (RFC 9112 §2.2); obsolete line folding, whitespace before a colon, control characters and
    /// non-token methods or names are refused with 400; versions other than HTTP/1.x with 505.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Outcome {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(bytes[start..<end])
            start = index + 1
        }
        if start < bytes.endIndex {
            var end = bytes.endIndex
            if bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(bytes[start..<end])
        }
        // RFC 9112 §2.2: ignore at least one empty line before the request line.
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard let requestLine = lines.first else { return .reject(status: 400, reason: "empty request") }

        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].allSatisfy(isTokenByte) else {
            return .reject(status: 400, reason: "malformed request line")
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .reject(status: 400, reason: "malformed request target")
        }
        var target = String(decoding: parts[1], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version.count == 8, version.hasPrefix("HTTP/"), let major = version.dropFirst(5).first?.wholeNumberValue,
            version.dropFirst(6).first == ".", let minor = version.last?.wholeNumberValue
        else { return .reject(status: 400, reason: "malformed HTTP version") }
        guard major == 1 else { return .reject(status: 505, reason: "only HTTP/1.x is supported") }

        if !target.hasPrefix("/") {
            // absolute-form (`http://host/path`) is accepted and reduced to its path; anything else is refused.
            let lower = target.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
                let schemeEnd = target.range(of: "://")
            else { return .reject(status: 400, reason: "request target must be a path") }
            let afterScheme = target[schemeEnd.upperBound...]
            target = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { String(afterScheme[$0...]) } ?? "/"
            if target.hasPrefix("?") { target = "/" + target }
        }
        if let fragment = target.firstIndex(of: "#") { target = String(target[..<fragment]) }
        var path = target
        var rawQuery: String?
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            rawQuery = String(target[target.index(after: question)...])
        }

        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let first = line.first else { continue }
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                return .reject(status: 400, reason: "obsolete header line folding")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else { return .reject(status: 400, reason: "malformed header field") }
            let rawValue = line[(colon + 1)...]
            guard rawValue.allSatisfy({ $0 == 0x09 || $0 >= 0x20 && $0 != 0x7F }) else {
                return .reject(status: 400, reason: "control character in header value")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            let value = String(decoding: rawValue, as: UTF8.self).trimmingCharacters(in: .init(charactersIn: " \t"))
            headers.add(name, value)
        }
        return .request(RequestHead(method: method, path: path, rawQuery: rawQuery, minorVersion: minor, headers: headers))
    }

    /// `tchar` of RFC 9110 §5.6.2.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
