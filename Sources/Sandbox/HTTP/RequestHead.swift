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
        var lines = splitLines(bytes)
        // RFC 9112 §2.2: ignore at least one empty line before the request line.
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard let requestLine = lines.first else { return .reject(status: 400, reason: "empty request") }
        do throws(Rejection) {
            let (method, target, minor) = try parseRequestLine(requestLine)
            let (path, rawQuery) = try splitTarget(target)
            let headers = try parseFields(lines.dropFirst())
            return .request(
                RequestHead(method: method, path: path, rawQuery: rawQuery, minorVersion: minor, headers: headers))
        } catch {
            return .reject(status: error.status, reason: error.reason)
        }
    }

    /// Why a head is refused.
    private struct Rejection: Error {
        var status: Int
        var reason: String

        static func badRequest(_ reason: String) -> Rejection { Rejection(status: 400, reason: reason) }
    }

    /// The lines of a head, `\r\n` or bare `\n` ended, without their line ends.
    private static func splitLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
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
        return lines
    }

    /// `METHOD SP target SP HTTP/1.x` → (method, target, minor version).
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(Rejection) -> (String, String, Int) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].allSatisfy(isTokenByte) else {
            throw .badRequest("malformed request line")
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .badRequest("malformed request target") }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version.count == 8, version.hasPrefix("HTTP/"), let major = version.dropFirst(5).first?.wholeNumberValue,
            version.dropFirst(6).first == ".", let minor = version.last?.wholeNumberValue
        else { throw .badRequest("malformed HTTP version") }
        guard major == 1 else { throw Rejection(status: 505, reason: "only HTTP/1.x is supported") }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self), minor)
    }

    /// The path and raw query of a target. absolute-form (`http://host/path`) is accepted and reduced to its path;
    /// a fragment is dropped; anything but a path is refused.
    private static func splitTarget(_ target: String) throws(Rejection) -> (path: String, rawQuery: String?) {
        var target = target
        if !target.hasPrefix("/") {
            let lower = target.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), let schemeEnd = target.range(of: "://")
            else { throw .badRequest("request target must be a path") }
            let afterScheme = target[schemeEnd.upperBound...]
            target = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { String(afterScheme[$0...]) } ?? "/"
            if target.hasPrefix("?") { target = "/" + target }
        }
        if let fragment = target.firstIndex(of: "#") { target = String(target[..<fragment]) }
        guard let question = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<question]), String(target[target.index(after: question)...]))
    }

    /// The header fields after the request line, in order.
    private static func parseFields(_ lines: ArraySlice<ArraySlice<UInt8>>) throws(Rejection) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for line in lines {
            guard let first = line.first else { continue }
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { throw .badRequest("obsolete header line folding") }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else { throw .badRequest("malformed header field") }
            let rawValue = line[(colon + 1)...]
            guard rawValue.allSatisfy({ $0 == 0x09 || $0 >= 0x20 && $0 != 0x7F }) else {
                throw .badRequest("control character in header value")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            let value = String(decoding: rawValue, as: UTF8.self).trimmingCharacters(in: .init(charactersIn: " \t"))
            headers.add(name, value)
        }
        return headers
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
