import Foundation

/// An error answer of the WorkOS API. Thrown inside the surface to unwind to the route handler, which returns
/// its `response`; it never leaves the surface.
struct WorkOSErrorResponse: Error {
    var status: Int
    var message: String
    var code: String
    /// Per-field problems of a 422: `[{field, code}]`.
    var errors: [(field: String, code: String)] = []

    var response: HTTPResponse {
        var object: [String: Any] = ["message": message, "code": code]
        if !errors.isEmpty { object["errors"] = errors.map { ["field": $0.field, "code": $0.code] } }
        return JSONWriter.response(status, object)
    }

    /// 401: no `Authorization: Bearer <api key>` or the wrong key.
    static let unauthorized = WorkOSErrorResponse(status: 401, message: "Unauthorized", code: "unauthorized")

    /// 400: the body is not a JSON object.
    static let invalidJSON = WorkOSErrorResponse(
        status: 400, message: "The request body must be a JSON object.", code: "invalid_request_parameters")

    /// 404: no route for this method and path.
    static func noRoute(_ method: String, _ path: String) -> WorkOSErrorResponse {
        WorkOSErrorResponse(status: 404, message: "No route for \(method) \(path).", code: "entity_not_found")
    }

    /// 404: an object that does not exist (`Organization not found: 'org_…'.`, as the spec's examples word it).
    static func notFound(_ kind: String, _ id: String) -> WorkOSErrorResponse {
        WorkOSErrorResponse(status: 404, message: "\(kind) not found: '\(id)'.", code: "entity_not_found")
    }

    /// 422: request parameters that fail validation, with the field and why.
    static func invalid(_ field: String, _ code: String, _ message: String) -> WorkOSErrorResponse {
        WorkOSErrorResponse(
            status: 422, message: message, code: "invalid_request_parameters", errors: [(field, code)])
    }

    /// 400: another organization already has this external id.
    static func externalIDUsed(_ externalID: String) -> WorkOSErrorResponse {
        WorkOSErrorResponse(
            status: 400, message: "An organization with external_id '\(externalID)' already exists.",
            code: "external_id_already_used")
    }

    /// 400: `metadata` is not an object of string values.
    static let invalidMetadata = WorkOSErrorResponse(
        status: 400, message: "Metadata must be an object of string keys and string values.", code: "invalid_metadata")

    /// 400: an `after`/`before` cursor naming an event older than the retention. WorkOS does not document this case;
    /// the sandbox refuses rather than silently skipping the events in between (docs/sandbox.md).
    static func cursorExpired(_ cursor: String) -> WorkOSErrorResponse {
        WorkOSErrorResponse(
            status: 400,
            message: "The cursor '\(cursor)' names an event older than the event retention; list from range_start instead.",
            code: "event_cursor_expired")
    }

    /// 409: a control change that would duplicate an object (a person's email, a group name) in a directory.
    static func conflict(_ message: String) -> WorkOSErrorResponse {
        WorkOSErrorResponse(status: 409, message: message, code: "conflict")
    }
}
