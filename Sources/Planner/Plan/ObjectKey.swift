/// How plans, preconditions and the executor name a live object: `workos/organization/<tenant>`,
/// `thinkific/user/<email>`, `scim/<app>/group/<name>`… The one spelling of each key, used by the planner (change
/// ids, precondition keys), the observation index and the executor (objects created during a run). Emails and SCIM
/// user names are lower-cased here, since they are matched without regard to case everywhere; group, course and
/// organization names keep theirs.
public enum ObjectKey {
    public static func organization(_ tenant: String) -> String { "workos/organization/\(tenant)" }
    public static func person(_ email: String) -> String { "directory/person/\(email.lowercased())" }
    public static func thinkificUser(_ email: String) -> String { "thinkific/user/\(email.lowercased())" }
    public static func thinkificGroup(_ name: String) -> String { "thinkific/group/\(name)" }
    public static func enrollment(_ email: String, _ slug: String) -> String {
        "thinkific/enrollment/\(email.lowercased())/\(slug)"
    }
    public static func membership(_ email: String, _ group: String) -> String {
        "thinkific/membership/\(email.lowercased())/\(group)"
    }
    public static func scimUser(_ app: String, _ userName: String) -> String { "scim/\(app)/user/\(userName.lowercased())" }
    public static func scimGroup(_ app: String, _ name: String) -> String { "scim/\(app)/group/\(name)" }
    public static func scimMember(_ app: String, _ group: String, _ userName: String) -> String {
        "scim/\(app)/member/\(group)/\(userName.lowercased())"
    }
}
