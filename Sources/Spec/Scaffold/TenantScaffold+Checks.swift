import Foundation

/// The answers' checks, with `validate`'s recognisers and messages: a scaffold is only written when the file it
/// makes would pass them.
extension TenantScaffold {
    /// Every problem with the answers. `claimedDomains` maps each domain other tenants of the workspace own to that
    /// tenant's id. The answers come from the command line, not a file, so the findings carry no position.
    public func problems(claimedDomains: [String: String] = [:]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if !Format.isIdentifier(id) {
            found.append(.invalidIdentifier(id, what: "tenant id", at: Self.nowhere))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            found.append(.missingValue(key: "name", at: Self.nowhere))
        }
        if domains.isEmpty {
            found.append(.tooFewItems(key: "domains", noun: "domain", minimum: 1, at: Self.nowhere))
        }
        for domain in domains {
            if !Format.isDomain(domain) {
                found.append(.invalidDomain(domain, at: Self.nowhere))
            } else if let owner = claimedDomains[domain], owner != id {
                found.append(.domainClaimedTwice(domain, first: owner, at: Self.nowhere))
            }
        }
        if let seats, seats < 1 {
            found.append(
                .invalidInteger(
                    String(seats), key: "seats", expectation: SpecShape.value(.integer(minimum: 1)).expectation,
                    at: Self.nowhere))
        }
        return found.map { diagnostic in
            var diagnostic = diagnostic
            diagnostic.location = nil
            return diagnostic
        }
    }

    /// The factories want a position; `problems` drops it again.
    private static let nowhere = SourceLocation(file: "", line: 0, column: 0)
}
