/// What a plan read from one Thinkific site for one tenant: the site's courses and groups, and — scoped to the
/// tenant's people (an email in its domains or rosters) — users, enrollments in the managed courses and members of
/// the managed groups.
public struct ObservedThinkific: Sendable, Hashable, Codable {
    /// Users of the tenant that exist on the site, by ascending id.
    public var users: [ThinkificUser]
    /// Every course of the site (to resolve slugs to ids), by ascending id.
    public var courses: [ThinkificCourse]
    /// Every group of the site (to resolve names to ids), by ascending id.
    public var groups: [ThinkificGroup]
    /// The tenant's people's enrollments in the managed courses, by ascending id.
    public var enrollments: [ThinkificEnrollment]
    /// For each managed group that exists, the tenant's people in it.
    public var groupMembers: [ThinkificGroupMembers]

    public init(
        users: [ThinkificUser] = [], courses: [ThinkificCourse] = [], groups: [ThinkificGroup] = [],
        enrollments: [ThinkificEnrollment] = [], groupMembers: [ThinkificGroupMembers] = []
    ) {
        self.users = users
        self.courses = courses
        self.groups = groups
        self.enrollments = enrollments
        self.groupMembers = groupMembers
    }
}

/// A Thinkific user. Names are `nil` when the user was seen only through an enrollment (which carries a full name).
public struct ThinkificUser: Sendable, Hashable, Codable {
    public var id: Int
    public var email: String
    public var firstName: String?
    public var lastName: String?
    /// `external_source`: `SignIn.marker(tenant:)` on a user provisioned for a sign-in grant (`nil` when unset or when
    /// the user was seen only through an enrollment).
    public var externalSource: String?

    public init(
        id: Int, email: String, firstName: String? = nil, lastName: String? = nil, externalSource: String? = nil
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.externalSource = externalSource
    }
}

public struct ThinkificCourse: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var slug: String?

    public init(id: Int, name: String, slug: String?) {
        self.id = id
        self.name = name
        self.slug = slug
    }
}

public struct ThinkificGroup: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// An enrollment as Thinkific lists it. Dates are kept exactly as the API sent them (ISO 8601 text, often with
/// milliseconds), so a saved plan's precondition compares equal to a fresh read of the same state.
public struct ThinkificEnrollment: Sendable, Hashable, Codable {
    public var id: Int
    public var userID: Int
    public var userEmail: String
    public var courseID: Int
    public var activatedAt: String?
    public var expiryDate: String?
    public var isExpired: Bool
    public var isCompleted: Bool
    public var isFreeTrial: Bool

    public init(
        id: Int, userID: Int, userEmail: String, courseID: Int, activatedAt: String? = nil, expiryDate: String? = nil,
        isExpired: Bool = false, isCompleted: Bool = false, isFreeTrial: Bool = false
    ) {
        self.id = id
        self.userID = userID
        self.userEmail = userEmail
        self.courseID = courseID
        self.activatedAt = activatedAt
        self.expiryDate = expiryDate
        self.isExpired = isExpired
        self.isCompleted = isCompleted
        self.isFreeTrial = isFreeTrial
    }
}

/// The tenant's people in one Thinkific group.
public struct ThinkificGroupMembers: Sendable, Hashable, Codable {
    public var groupID: Int
    public var groupName: String
    /// Ascending.
    public var userIDs: [Int]

    public init(groupID: Int, groupName: String, userIDs: [Int]) {
        self.groupID = groupID
        self.groupName = groupName
        self.userIDs = userIDs
    }
}
