import Spec

/// How the WorkOS surface behaves: `kind` (the default) or `strict`, the manners of a new WorkOS environment as
/// documented (docs/sandbox.md, "Vendor profiles"):
///
/// - `GET /directory_users` limited to `VendorLimits.workosDirectoryUsersPerSecond` requests a second per directory
///   (https://workos.com/docs/reference/rate-limits), answered over it with 429 and the bare JSON string
///   `"Ratelimited"` (the OpenAPI file's 429 schema) and no `Retry-After`;
/// - the "secure flow", WorkOS's default for inactive users: a user the IdP makes `inactive` (or `suspended`) is
///   deleted, with a `dsync.user.deleted` event, not kept (https://workos.com/docs/directory-sync/handle-inactive-users);
/// - the `suspended` state and users without an email (the schema's nullable `email`) accepted in seeds and control
///   routes;
/// - `GET /events` newest first when no `order` is given (the schema's `PaginationOrder` default, `desc`).
public struct WorkOSProfile: Sendable, Equatable {
    /// The profile's name (`kind`, `strict`).
    public var name: String
    /// `GET /directory_users` requests allowed per second per directory; `nil` for no limit.
    public var directoryUsersPerSecond: Int?
    /// Users made inactive or suspended are deleted (the secure flow), not kept.
    public var deletesInactiveUsers: Bool
    /// Seeds and control routes may give users the `suspended` state and no email.
    public var allowsSuspendedAndNoEmail: Bool
    /// `GET /events` without `order`: `desc` as the schema says, or `asc`.
    var eventsDefaultOrder: WorkOSPage.Order

    /// The default: no limits, inactive users kept, states `active`/`inactive` only and an email for everyone (what
    /// every SDK accepts, the stricter pydantic one included), events oldest first.
    public static let kind = WorkOSProfile(
        name: "kind", directoryUsersPerSecond: nil, deletesInactiveUsers: false, allowsSuspendedAndNoEmail: false,
        eventsDefaultOrder: .asc)

    /// A new WorkOS environment as documented.
    public static let strict = WorkOSProfile(
        name: "strict", directoryUsersPerSecond: VendorLimits.workosDirectoryUsersPerSecond, deletesInactiveUsers: true,
        allowsSuspendedAndNoEmail: true, eventsDefaultOrder: .desc)

    public static let all = [kind, strict]

    /// The profile named `name` (`nil`: `kind`).
    public static func named(_ name: String?) -> WorkOSProfile? {
        guard let name else { return .kind }
        return all.first { $0.name == name }
    }

    /// The directory user states seeds and control routes accept.
    var userStates: [String] { allowsSuspendedAndNoEmail ? ["active", "inactive", "suspended"] : ["active", "inactive"] }
}
