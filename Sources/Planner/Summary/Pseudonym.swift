import Foundation
import Spec

/// Short, stable pseudonyms that tell people apart in a public place without revealing their address.
///
/// A person's tag is the start of HMAC-SHA256(key, lower-cased email) in hex. Keyed, so that whoever reads the
/// comment cannot confirm a guessed address by hashing it (a plain hash of `ana.garcia@pg.com`, or one keyed with
/// the tenant id that the comment itself shows, would be such an oracle). The key is a secret the plan's readers
/// do not hold (`review.pseudonym_key`, or one derived from the connections' credentials): the same key gives the
/// same tag in every plan.
///
/// Four hex digits tell apart nearly everyone who shares a masked address (`a…@pg.com`). When two people of one
/// plan would still look the same, both get as many more digits as it takes (`#3f2c9`, `#3f2ca`), so a rendered
/// label never stands for two people; a longer tag always begins with the person's usual four digits.
public struct Pseudonym: Sendable {
    /// The hasher after the key's inner and outer pads: each tag then costs two SHA-256 blocks.
    private let inner: SHA256
    private let outer: SHA256

    public init(key: [UInt8]) {
        var block = key.count > 64 ? Self.sha256(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(Data(block.map { $0 ^ 0x36 }))
        var outer = SHA256()
        outer.update(Data(block.map { $0 ^ 0x5c }))
        self.inner = inner
        self.outer = outer
    }

    /// HMAC-SHA256 (RFC 2104) of `message`.
    public func mac(_ message: [UInt8]) -> [UInt8] {
        var inner = self.inner
        inner.update(Data(message))
        var outer = self.outer
        outer.update(Data(inner.finalize()))
        return outer.finalize()
    }

    /// The full hex digest a person's tag is a prefix of.
    public func digest(email: String) -> String {
        Self.hex(mac(Array(email.lowercased().utf8)))
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(Data(bytes))
        return hasher.finalize()
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Shortest tags, at least `minimum` digits, that differ between any two people sharing a masked address:
    /// email → tag.
    public func tags(for emails: some Sequence<String>, minimum: Int = 4) -> [String: String] {
        var byMask: [String: [(email: String, digest: String)]] = [:]
        for email in Set(emails.map { $0.lowercased() }) {
            byMask[EmailMask.mask(email), default: []].append((email, digest(email: email)))
        }
        var tags: [String: String] = [:]
        for var group in byMask.values {
            group.sort { $0.digest < $1.digest }
            for (index, person) in group.enumerated() {
                var length = minimum
                for neighbour in [index - 1, index + 1] where group.indices.contains(neighbour) {
                    length = max(length, Self.commonPrefix(person.digest, group[neighbour].digest) + 1)
                }
                tags[person.email] = String(person.digest.prefix(length))
            }
        }
        return tags
    }

    private static func commonPrefix(_ lhs: String, _ rhs: String) -> Int {
        zip(lhs.utf8, rhs.utf8).prefix { $0 == $1 }.count
    }
}

extension Plan {
    /// The plan with every summary person tagged (see `Pseudonym`), tags distinct across the whole plan.
    public func pseudonymised(with pseudonym: Pseudonym) -> Plan {
        var plan = self
        let emails = tenants.flatMap { $0.summary?.people.map(\.email) ?? [] }
        let tags = pseudonym.tags(for: emails)
        for tenant in plan.tenants.indices {
            guard var summary = plan.tenants[tenant].summary else { continue }
            for person in summary.people.indices { summary.people[person].tag = tags[summary.people[person].email] }
            plan.tenants[tenant].summary = summary
        }
        return plan
    }
}
