import Foundation

extension ThinkificSite {
    /// Answers one authenticated request. Runs under the surface's lock; returns values, not JSON.
    mutating func handle(_ route: ThinkificRoute, _ request: HTTPRequest, now: Date) -> ThinkificReply {
        if route.isList, let failure = ThinkificPageRequest.outOfRange(request) { return .failure(failure) }
        return switch route {
        case .listUsers: listUsers(request)
        case .createUser: createUser(request, now: now)
        case .getUser(let id): getUser(id, request)
        case .updateUser(let id): updateUser(id, request)
        case .deleteUser(let id): deleteUser(id, request)
        case .listCourses: .courses(ThinkificPageRequest(request).slice(courses))
        case .getCourse(let id):
            ThinkificValue.int(id).flatMap { courses.record($0) }.map { .course($0) } ?? .failure(.recordNotFound)
        case .listEnrollments: listEnrollments(request, now: now)
        case .createEnrollment: createEnrollment(request, now: now)
        case .getEnrollment(let id): getEnrollment(id, now: now)
        case .updateEnrollment(let id): updateEnrollment(id, request, now: now)
        case .listGroups: .groups(ThinkificPageRequest(request).slice(groups))
        case .createGroup: createGroup(request, now: now)
        case .getGroup(let id):
            ThinkificValue.int(id).flatMap { groups.record($0) }.map { .group($0) } ?? .failure(.recordNotFound)
        case .deleteGroup(let id): deleteGroup(id)
        case .addGroupUsers: addGroupUsers(request)
        case .listGroupAnalysts(let group): listGroupAnalysts(group)
        case .addGroupAnalysts(let group): addGroupAnalysts(group, request)
        case .removeGroupAnalyst(let group, let user): removeGroupAnalyst(group: group, user: user)
        case .addAnalystGroups(let user): addAnalystGroups(user, request)
        case .removeAnalystGroup(let user, let group): removeAnalystGroup(user: user, group: group)
        }
    }

    /// The request's query value, `nil` when absent or blank (blank filters are ignored, as Rails does).
    func filter(_ request: HTTPRequest, _ name: String) -> String? {
        guard let value = request.queryValue(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}
