import Foundation

/// What an Admin Portal link lets the client's IT set up (`intent` of `POST /portal/generate_link`).
public enum PortalIntent: String, Sendable, CaseIterable {
    /// Connect their identity provider for single sign-on.
    case sso
    /// Set up Directory Sync.
    case dsync
    /// Verify they own the organization's domains.
    case domainVerification = "domain_verification"
}

extension WorkOSClient {
    /// A short-lived Admin Portal link for one organization (`POST /portal/generate_link` → 201 `{"link": …}`).
    /// The link lets whoever holds it configure the organization's SSO or directory, so it is handed to the client's
    /// IT and never logged. A POST without an idempotency key: not retried after an ambiguous failure (a second link
    /// would be harmless, but the connection policy decides).
    public func portalLink(organizationID: String, intent: PortalIntent) async throws(LiveError) -> String {
        let path = "/portal/generate_link"
        let body = PortalLinkRequest(organization: organizationID, intent: intent.rawValue)
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(body)
        } catch {
            throw .malformedResponse(method: "POST", path: path, reason: "cannot encode the request: \(error)")
        }
        let response = try await channel.send(
            "POST", path, body: encoded, headers: [("Content-Type", "application/json")])
        return try channel.decode(PortalLinkResponse.self, response, method: "POST", path: path).link
    }
}

private struct PortalLinkRequest: Encodable {
    var organization: String
    var intent: String
}

private struct PortalLinkResponse: Decodable {
    var link: String
}
