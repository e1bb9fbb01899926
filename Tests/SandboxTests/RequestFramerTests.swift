import Foundation
import Testing

@testable import Sandbox

/// `RequestFramer` without sockets: bytes in, actions out.
@Suite struct RequestFramerTests {
    private func framer(maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 1024) -> RequestFramer {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxBodyBytes = maxBodyBytes
        return RequestFramer(limits: limits)
    }

    /// What `next()` gives after feeding `text`, summarised: `request METHOD PATH body`, `more`, `continue`,
    /// `refuse STATUS`.
    private func actions(_ framer: inout RequestFramer, after text: String) -> [String] {
        framer.feed(Array(text.utf8))
        var seen: [String] = []
        while true {
            switch framer.next() {
            case .needMore: return seen + ["more"]
            case .sendContinue: seen.append("continue")
            case .request(let head, let body):
                seen.append("request \(head.method) \(head.path) \(String(decoding: body, as: UTF8.self))")
            case .refuse(let status, _): return seen + ["refuse \(status)"]
            }
        }
    }

    @Test func aWholeRequestThenNeedMore() {
        var framer = framer()
        #expect(!framer.isMidRequest)
        #expect(actions(&framer, after: "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n") == ["request GET /a ", "more"])
        #expect(!framer.isMidRequest)
    }

    @Test func bytesArrivingOneAtATime() {
        var framer = framer()
        let text = "POST /items HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
        var results: [String] = []
        for character in text { results += actions(&framer, after: String(character)) }
        #expect(results.filter { $0 != "more" } == ["request POST /items abc"])
        #expect(results.last == "more")
    }

    @Test func midRequestFromTheFirstByteUntilTheBodyIsIn() {
        var framer = framer()
        _ = actions(&framer, after: "P")
        #expect(framer.isMidRequest)
        _ = actions(&framer, after: "OST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n")
        #expect(framer.isMidRequest)
        #expect(actions(&framer, after: "ok") == ["request POST / ok", "more"])
        #expect(!framer.isMidRequest)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        var framer = framer()
        let two = "POST /1 HTTP/1.1\r\nContent-Length: 1\r\n\r\naGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"
        #expect(actions(&framer, after: two) == ["request POST /1 a", "request GET /2 ", "request GET /3 ", "more"])
    }

    @Test func expectContinueIsAnsweredOnceBeforeTheBody() {
        var framer = framer()
        let head = "PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"
        #expect(actions(&framer, after: head) == ["continue", "more"])
        #expect(actions(&framer, after: "ab") == ["more"])
        #expect(actions(&framer, after: "cd") == ["request PUT /x abcd", "more"])
        // With the body already there, no 100 Continue is due.
        #expect(actions(&framer, after: head + "wxyz") == ["request PUT /x wxyz", "more"])
    }

    @Test func headLimits() {
        var open = framer(maxHeaderBytes: 100)
        #expect(actions(&open, after: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 200)) == ["refuse 431"])
        var whole = framer(maxHeaderBytes: 100)
        #expect(
            actions(&whole, after: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 90) + "\r\n\r\n") == ["refuse 431"])
        var fits = framer(maxHeaderBytes: 100)
        #expect(
            actions(&fits, after: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 60) + "\r\n\r\n").first
                == "request GET / ")
    }

    @Test(arguments: [
        ("Transfer-Encoding: chunked", 411), ("Content-Length: abc", 400), ("Content-Length: -1", 400),
        ("Content-Length: 5\r\nContent-Length: 6", 400), ("Content-Length: 5, 6", 400), ("Content-Length: ", 400),
        ("Content-Length: 1025", 413), ("Content-Length: 9223372036854775807", 413),
        ("Content-Length: 99999999999999999999999999999999", 413),
    ])
    func bodyFramingRefusals(header: String, status: Int) {
        var framer = framer()
        #expect(actions(&framer, after: "POST / HTTP/1.1\r\n\(header)\r\n\r\n") == ["refuse \(status)"])
    }

    @Test func agreeingRepeatedLengthsAndTheLimitItself() {
        var framer = framer(maxBodyBytes: 3)
        #expect(
            actions(&framer, after: "POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 3, 3\r\n\r\nabc").first
                == "request POST / abc")
    }

    @Test func malformedHeadsAreRefusedAndNothingMoreIsRead() {
        var framer = framer()
        #expect(actions(&framer, after: "GET /\r\n\r\n") == ["refuse 400"])
        #expect(actions(&framer, after: "GET / HTTP/1.1\r\n\r\n") == ["more"])
        var version = self.framer()
        #expect(actions(&version, after: "GET / HTTP/2.0\r\n\r\n") == ["refuse 505"])
    }
}
