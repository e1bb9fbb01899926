import Foundation

/// A SCIM error response (RFC 7644 §3.12), thrown inside request handling and turned into an HTTP answer by the
/// surface; it never leaves `SCIMSurface`. Its `detail` text comes from the named factories below.
struct SCIMFailure: Error, Sendable {
    var status: Int
    var scimType: String?
    var detail: String

    var response: HTTPResponse {
        var object: [String: SCIMJSON] = [
            "schemas": .array([.string(SCIMSchemas.errorURN)]), "status": .string(String(status)), "detail": .string(detail),
        ]
        if let scimType { object["scimType"] = .string(scimType) }
        var response = HTTPResponse.json(status, SCIMJSON.object(object).encoded(), contentType: SCIMSurface.contentType)
        if status == 401 { response.headers.set("WWW-Authenticate", #"Bearer realm="SCIM""#) }
        return response
    }

    static func unauthorized() -> SCIMFailure {
        SCIMFailure(status: 401, detail: "Authorization failure. The authorization header is invalid or missing")
    }
    static func notFound(_ what: String) -> SCIMFailure { SCIMFailure(status: 404, detail: "\(what) not found") }
    static func methodNotAllowed(_ method: String) -> SCIMFailure {
        SCIMFailure(status: 405, detail: "Method \(method) is not allowed on this endpoint")
    }
    static func unsupportedMediaType(_ contentType: String?) -> SCIMFailure {
        SCIMFailure(
            status: 415,
            detail: "Content-Type must be application/scim+json or application/json, got \(contentType ?? "none")")
    }
    static func notImplemented(_ what: String) -> SCIMFailure { SCIMFailure(status: 501, detail: "\(what) is not supported") }
    static func invalidSyntax(_ detail: String) -> SCIMFailure {
        SCIMFailure(status: 400, scimType: "invalidSyntax", detail: detail)
    }
    static func invalidFilter(_ detail: String) -> SCIMFailure {
        SCIMFailure(status: 400, scimType: "invalidFilter", detail: detail)
    }
    static func invalidValue(_ detail: String) -> SCIMFailure {
        SCIMFailure(status: 400, scimType: "invalidValue", detail: detail)
    }
    static func invalidPath(_ path: String) -> SCIMFailure {
        SCIMFailure(status: 400, scimType: "invalidPath", detail: "The path '\(path)' does not name a known attribute")
    }
    static func noTarget(_ detail: String) -> SCIMFailure { SCIMFailure(status: 400, scimType: "noTarget", detail: detail) }
    static func mutability(_ attribute: String) -> SCIMFailure {
        SCIMFailure(status: 400, scimType: "mutability", detail: "The attribute '\(attribute)' cannot be modified")
    }
    static func uniqueness(_ attribute: String, _ value: String) -> SCIMFailure {
        SCIMFailure(status: 409, scimType: "uniqueness", detail: "\(attribute) '\(value)' is already in use")
    }
    /// The 429 the router answers when the surface's rate limit is spent.
    static func tooManyRequests() -> SCIMFailure { SCIMFailure(status: 429, detail: "Rate limit exceeded") }
    static func preconditionFailed() -> SCIMFailure {
        SCIMFailure(status: 412, detail: "Failed to update. Resource has changed on the server")
    }
}
