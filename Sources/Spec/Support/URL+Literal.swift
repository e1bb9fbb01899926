import Foundation

extension URL {
    /// A URL written in the source as a literal (a vendor's default base URL). One that does not parse is a
    /// programming error that every test run would meet at once, so it stops the process rather than being handled.
    init(literal: StaticString) {
        guard let url = URL(string: "\(literal)") else { preconditionFailure("not a URL: \(literal)") }
        self = url
    }
}
