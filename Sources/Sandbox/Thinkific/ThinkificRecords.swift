import Foundation

/// A stored record with an integer id; collections of them are kept sorted by id.
protocol ThinkificRecord {
    var id: Int { get }
}

struct ThinkificUser: ThinkificRecord, Codable, Sendable, Equatable {
    var id: Int
    var createdAt: Date
    var firstName: String
    var lastName: String
    var email: String
    var company: String?
    var roles: [String]
    var avatarURL: String?
    var bio: String?
    var headline: String?
    var affiliateCode: String?
    var externalSource: String?
    var affiliateCommission: Double?
    var affiliateCommissionType: String?
    var affiliatePayoutEmail: String?
    /// The SSO identity, addressable as `/users/{external_id}?provider=…`.
    var externalID: String?
    var provider: String?

    var fullName: String { "\(firstName) \(lastName)" }
}

struct ThinkificCourse: ThinkificRecord, Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var slug: String
    var productID: Int
    var instructorID: Int
    var chapterIDs: [Int]
    var reviewsEnabled: Bool
}

struct ThinkificEnrollment: ThinkificRecord, Codable, Sendable, Equatable {
    var id: Int
    var userID: Int
    var courseID: Int
    /// The user's email and name when last known; shown if the user has since been deleted.
    var userEmail: String
    var userName: String
    var createdAt: Date
    var updatedAt: Date
    var activatedAt: Date?
    var startedAt: Date?
    var completedAt: Date?
    var expiryDate: Date?
    var percentageCompleted: Double
    var isFreeTrial: Bool

    var isCompleted: Bool { completedAt != nil }

    /// Expiry is derived at read time: an enrollment whose expiry date has passed (or is now) is expired.
    func isExpired(at now: Date) -> Bool {
        guard let expiryDate else { return false }
        return expiryDate <= now
    }
}

struct ThinkificGroup: ThinkificRecord, Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var token: String
    var createdAt: Date
}

extension Array where Element: ThinkificRecord {
    /// The position of the record with `id`, by binary search (the array is sorted by id).
    func position(of id: Int) -> Int? {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if self[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < endIndex && self[low].id == id ? low : nil
    }

    func record(_ id: Int) -> Element? {
        position(of: id).map { self[$0] }
    }

    /// Inserts keeping id order (appending in the usual case of a fresh, highest id).
    mutating func insertSorted(_ record: Element) {
        if let last, last.id > record.id {
            var low = startIndex
            var high = endIndex
            while low < high {
                let middle = (low + high) / 2
                if self[middle].id < record.id { low = middle + 1 } else { high = middle }
            }
            insert(record, at: low)
        } else {
            append(record)
        }
    }
}

extension Array where Element == Int {
    /// Inserts into a sorted id list unless already present; returns whether it was inserted.
    @discardableResult
    mutating func insertSortedUnique(_ id: Int) -> Bool {
        let low = lowerBound(of: id)
        if low < endIndex, self[low] == id { return false }
        insert(id, at: low)
        return true
    }

    mutating func removeSorted(_ id: Int) {
        let low = lowerBound(of: id)
        if low < endIndex, self[low] == id { remove(at: low) }
    }

    func containsSorted(_ id: Int) -> Bool {
        let low = lowerBound(of: id)
        return low < endIndex && self[low] == id
    }

    private func lowerBound(of id: Int) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
