/// The Admin API routes the sandbox answers, matched from a method and a path under `/api/public/v1`.
/// Path ids stay strings until a handler reads them (a non-numeric id is a 404, like an unknown one).
enum ThinkificRoute: Equatable {
    case listUsers, createUser
    case getUser(String), updateUser(String), deleteUser(String)
    case listCourses
    case getCourse(String)
    case listEnrollments, createEnrollment
    case getEnrollment(String), updateEnrollment(String)
    case listGroups, createGroup
    case getGroup(String), deleteGroup(String)
    case addGroupUsers
    case listGroupAnalysts(group: String), addGroupAnalysts(group: String)
    case removeGroupAnalyst(group: String, user: String)
    case addAnalystGroups(user: String)
    case removeAnalystGroup(user: String, group: String)

    static let basePath = "/api/public/v1"

    /// The routes that page (`page`, `limit`).
    var isList: Bool {
        switch self {
        case .listUsers, .listCourses, .listEnrollments, .listGroups: true
        default: false
        }
    }

    init?(method: String, path: String) {
        guard path.hasPrefix(Self.basePath) else { return nil }
        var rest = path.dropFirst(Self.basePath.count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard rest.hasPrefix("/"), !parts.contains(where: \.isEmpty) else { return nil }
        switch (method.uppercased(), parts.count, parts.first ?? "") {
        case ("GET", 1, "users"): self = .listUsers
        case ("POST", 1, "users"): self = .createUser
        case ("GET", 2, "users"): self = .getUser(parts[1])
        case ("PUT", 2, "users"): self = .updateUser(parts[1])
        case ("DELETE", 2, "users"): self = .deleteUser(parts[1])
        case ("GET", 1, "courses"): self = .listCourses
        case ("GET", 2, "courses"): self = .getCourse(parts[1])
        case ("GET", 1, "enrollments"): self = .listEnrollments
        case ("POST", 1, "enrollments"): self = .createEnrollment
        case ("GET", 2, "enrollments"): self = .getEnrollment(parts[1])
        case ("PUT", 2, "enrollments"): self = .updateEnrollment(parts[1])
        case ("GET", 1, "groups"): self = .listGroups
        case ("POST", 1, "groups"): self = .createGroup
        case ("GET", 2, "groups"): self = .getGroup(parts[1])
        case ("DELETE", 2, "groups"): self = .deleteGroup(parts[1])
        case ("POST", 1, "group_users"): self = .addGroupUsers
        case ("GET", 3, "groups") where parts[2] == "analysts": self = .listGroupAnalysts(group: parts[1])
        case ("POST", 3, "groups") where parts[2] == "analysts": self = .addGroupAnalysts(group: parts[1])
        case ("DELETE", 4, "groups") where parts[2] == "analysts":
            self = .removeGroupAnalyst(group: parts[1], user: parts[3])
        case ("POST", 3, "group_analysts") where parts[2] == "groups": self = .addAnalystGroups(user: parts[1])
        case ("DELETE", 4, "group_analysts") where parts[2] == "groups":
            self = .removeAnalystGroup(user: parts[1], group: parts[3])
        default: return nil
        }
    }

    /// The route as `/_sandbox/stats` counts it, e.g. `GET /users/{id}`.
    var template: String {
        switch self {
        case .listUsers: "GET /users"
        case .createUser: "POST /users"
        case .getUser: "GET /users/{id}"
        case .updateUser: "PUT /users/{id}"
        case .deleteUser: "DELETE /users/{id}"
        case .listCourses: "GET /courses"
        case .getCourse: "GET /courses/{id}"
        case .listEnrollments: "GET /enrollments"
        case .createEnrollment: "POST /enrollments"
        case .getEnrollment: "GET /enrollments/{id}"
        case .updateEnrollment: "PUT /enrollments/{id}"
        case .listGroups: "GET /groups"
        case .createGroup: "POST /groups"
        case .getGroup: "GET /groups/{id}"
        case .deleteGroup: "DELETE /groups/{id}"
        case .addGroupUsers: "POST /group_users"
        case .listGroupAnalysts: "GET /groups/{group_id}/analysts"
        case .addGroupAnalysts: "POST /groups/{group_id}/analysts"
        case .removeGroupAnalyst: "DELETE /groups/{group_id}/analysts/{user_id}"
        case .addAnalystGroups: "POST /group_analysts/{user_id}/groups"
        case .removeAnalystGroup: "DELETE /group_analysts/{user_id}/groups/{group_id}"
        }
    }
}
