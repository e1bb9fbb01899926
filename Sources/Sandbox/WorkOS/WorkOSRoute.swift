import Foundation

/// The WorkOS API routes the sandbox serves, and the control routes that play an identity provider.
enum WorkOSRoute: CaseIterable {
    case listOrganizations, createOrganization, getOrganizationByExternalID, getOrganization, updateOrganization
    case deleteOrganization, listConnections, getConnection, deleteConnection, listDirectories, getDirectory
    case listDirectoryUsers, getDirectoryUser, listDirectoryGroups, getDirectoryGroup, generatePortalLink, listEvents

    var method: String {
        switch self {
        case .createOrganization, .generatePortalLink: "POST"
        case .updateOrganization: "PUT"
        case .deleteOrganization, .deleteConnection: "DELETE"
        default: "GET"
        }
    }

    var template: String {
        switch self {
        case .listOrganizations, .createOrganization: "/organizations"
        case .getOrganizationByExternalID: "/organizations/external_id/{external_id}"
        case .getOrganization, .updateOrganization, .deleteOrganization: "/organizations/{id}"
        case .listConnections: "/connections"
        case .getConnection, .deleteConnection: "/connections/{id}"
        case .listDirectories: "/directories"
        case .getDirectory: "/directories/{id}"
        case .listDirectoryUsers: "/directory_users"
        case .getDirectoryUser: "/directory_users/{id}"
        case .listDirectoryGroups: "/directory_groups"
        case .getDirectoryGroup: "/directory_groups/{id}"
        case .generatePortalLink: "/portal/generate_link"
        case .listEvents: "/events"
        }
    }

    /// The route and its `{…}` parameters (percent-decoded), if one matches.
    static func match(method: String, path: String) -> (route: WorkOSRoute, parameters: [String])? {
        WorkOSTemplate.match(allCases, method: method, path: path, method: \.method, template: \.template)
    }
}

/// The directory changes a real IdP makes, reached as `/_sandbox/workos/…`.
enum WorkOSControlRoute: CaseIterable {
    case listDirectories, addUser, updateUser, removeUser, addGroup, signIn

    var method: String {
        switch self {
        case .listDirectories: "GET"
        case .addUser, .addGroup, .signIn: "POST"
        case .updateUser: "PATCH"
        case .removeUser: "DELETE"
        }
    }

    var template: String {
        switch self {
        case .listDirectories: "/directories"
        case .addUser: "/directories/{directory}/users"
        case .updateUser, .removeUser: "/directories/{directory}/users/{user}"
        case .addGroup: "/directories/{directory}/groups"
        case .signIn: "/organizations/{organization}/sign-ins"
        }
    }

    static func match(method: String, path: String) -> (route: WorkOSControlRoute, parameters: [String])? {
        WorkOSTemplate.match(allCases, method: method, path: path, method: \.method, template: \.template)
    }
}

enum WorkOSTemplate {
    static func match<Route>(
        _ routes: [Route], method: String, path: String, method routeMethod: (Route) -> String,
        template: (Route) -> String
    ) -> (route: Route, parameters: [String])? {
        let parts = path.split(separator: "/").map(String.init)
        for route in routes where routeMethod(route) == method {
            let pattern = template(route).split(separator: "/")
            guard pattern.count == parts.count else { continue }
            var parameters: [String] = []
            var matches = true
            for (expected, actual) in zip(pattern, parts) {
                if expected.hasPrefix("{") {
                    parameters.append(actual.removingPercentEncoding ?? actual)
                } else if expected != actual {
                    matches = false
                    break
                }
            }
            if matches { return (route, parameters) }
        }
        return nil
    }
}
