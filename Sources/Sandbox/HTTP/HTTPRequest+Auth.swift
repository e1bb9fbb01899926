import Foundation

extension HTTPRequest {
    /// Whether the `Authorization` header is exactly `Bearer <token>` (WorkOS and SCIM; Thinkific's own check also
    /// takes `X-Auth-API-Key`, any case of `bearer` and surrounding spaces).
    func isAuthorized(bearer token: String) -> Bool {
        headers["Authorization"] == "Bearer \(token)"
    }
}
