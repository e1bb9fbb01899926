import Foundation

/// Everything one Thinkific site holds, with the indexes that keep lookups cheap at 50,000 users.
///
/// Records are kept in arrays sorted by id (ids are handed out in increasing order, so inserts append); the
/// indexes are derived and rebuilt after decoding a snapshot.
struct ThinkificSite: Codable, Sendable {
    var subdomain: String
    var apiKey: String
    var courses: [ThinkificCourse] = []
    var users: [ThinkificUser] = []
    var groups: [ThinkificGroup] = []
    var enrollments: [ThinkificEnrollment] = []
    /// Group id → member user ids, ascending.
    var groupMembers: [Int: [Int]] = [:]
    /// Group id → analyst user ids, ascending.
    var groupAnalysts: [Int: [Int]] = [:]
    var nextUserID = 1
    var nextEnrollmentID = 1
    var nextGroupID = 1

    // MARK: - Derived indexes (not persisted)

    /// Lowercased email → user id.
    var userIDByEmail: [String: Int] = [:]
    /// User id → enrollment ids, ascending.
    var enrollmentIDsByUser: [Int: [Int]] = [:]
    /// Course id → enrollment ids, ascending.
    var enrollmentIDsByCourse: [Int: [Int]] = [:]

    enum CodingKeys: String, CodingKey {
        case subdomain, apiKey, courses, users, groups, enrollments, groupMembers, groupAnalysts
        case nextUserID, nextEnrollmentID, nextGroupID
    }

    init(subdomain: String, apiKey: String) {
        self.subdomain = subdomain
        self.apiKey = apiKey
    }

    mutating func rebuildIndexes() {
        userIDByEmail = Dictionary(users.map { ($0.email.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        enrollmentIDsByUser = [:]
        enrollmentIDsByCourse = [:]
        for enrollment in enrollments {
            enrollmentIDsByUser[enrollment.userID, default: []].append(enrollment.id)
            enrollmentIDsByCourse[enrollment.courseID, default: []].append(enrollment.id)
        }
    }

    // MARK: - Users

    func user(email: String) -> ThinkificUser? {
        userIDByEmail[email.lowercased()].flatMap { users.record($0) }
    }

    mutating func addUser(_ user: ThinkificUser) {
        users.insertSorted(user)
        userIDByEmail[user.email.lowercased()] = user.id
        nextUserID = max(nextUserID, user.id.saturatingAdd(1))
    }

    /// Replaces a stored user, keeping the email index and the names shown on its enrollments current.
    mutating func replaceUser(_ user: ThinkificUser) {
        guard let position = users.position(of: user.id) else { return }
        let old = users[position]
        users[position] = user
        if old.email.lowercased() != user.email.lowercased() {
            userIDByEmail[old.email.lowercased()] = nil
            userIDByEmail[user.email.lowercased()] = user.id
        }
        for enrollmentID in enrollmentIDsByUser[user.id] ?? [] {
            if let index = enrollments.position(of: enrollmentID) {
                enrollments[index].userEmail = user.email
                enrollments[index].userName = user.fullName
            }
        }
    }

    /// Deletes a user and their group memberships and analyst seats; their enrollments stay (as history).
    mutating func removeUser(_ id: Int) {
        guard let position = users.position(of: id) else { return }
        let user = users.remove(at: position)
        userIDByEmail[user.email.lowercased()] = nil
        for groupID in groupMembers.keys {
            groupMembers[groupID]?.removeSorted(id)
        }
        for groupID in groupAnalysts.keys {
            groupAnalysts[groupID]?.removeSorted(id)
        }
    }

    // MARK: - Groups

    func group(named name: String) -> ThinkificGroup? {
        groups.first { $0.name == name }
    }

    mutating func addGroup(_ group: ThinkificGroup) {
        groups.insertSorted(group)
        nextGroupID = max(nextGroupID, group.id.saturatingAdd(1))
    }

    mutating func removeGroup(_ id: Int) {
        guard let position = groups.position(of: id) else { return }
        groups.remove(at: position)
        groupMembers[id] = nil
        groupAnalysts[id] = nil
    }

    // MARK: - Enrollments

    func enrollment(userID: Int, courseID: Int) -> ThinkificEnrollment? {
        for id in enrollmentIDsByUser[userID] ?? [] {
            if let enrollment = enrollments.record(id), enrollment.courseID == courseID { return enrollment }
        }
        return nil
    }

    mutating func addEnrollment(_ enrollment: ThinkificEnrollment) {
        enrollments.insertSorted(enrollment)
        enrollmentIDsByUser[enrollment.userID, default: []].insertSortedUnique(enrollment.id)
        enrollmentIDsByCourse[enrollment.courseID, default: []].insertSortedUnique(enrollment.id)
        nextEnrollmentID = max(nextEnrollmentID, enrollment.id.saturatingAdd(1))
    }

    /// The 8-character group token, derived from the site, id and name so seeded states are reproducible.
    func token(groupID: Int, name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(subdomain)/\(groupID)/\(name)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: 16) + hex).suffix(8))
    }
}

/// The surface's whole state: the sites by lowercased subdomain.
struct ThinkificState: Codable, Sendable {
    var sites: [String: ThinkificSite] = [:]

    static func key(_ subdomain: String) -> String { subdomain.lowercased() }
}
