import Foundation

/// One attribute definition of RFC 7643 §7; drives the `/Schemas` documents, input canonicalisation,
/// filter case-sensitivity and what responses leave out.
struct SCIMAttribute: Sendable {
    enum Kind: String, Sendable { case string, boolean, decimal, integer, dateTime, binary, reference, complex }
    enum Mutability: String, Sendable { case readOnly, readWrite, immutable, writeOnly }
    enum Returned: String, Sendable { case always, never, `default`, request }

    var name: String
    var kind: Kind
    var isMultiValued = false
    var isRequired = false
    var isCaseExact = false
    var mutability = Mutability.readWrite
    var returned = Returned.default
    var isUnique = false
    var canonicalValues: [String] = []
    var referenceTypes: [String] = []
    var subAttributes: [SCIMAttribute] = []

    func subAttribute(_ name: String) -> SCIMAttribute? {
        subAttributes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The RFC 7643 §7 representation.
    var json: SCIMJSON {
        var object: [String: SCIMJSON] = [
            "name": .string(name), "type": .string(kind.rawValue), "multiValued": .bool(isMultiValued),
            "required": .bool(isRequired), "mutability": .string(mutability.rawValue),
            "returned": .string(returned.rawValue), "description": .string(name),
        ]
        if kind != .complex && kind != .boolean {
            object["caseExact"] = .bool(isCaseExact)
            object["uniqueness"] = .string(isUnique ? "server" : "none")
        }
        if !canonicalValues.isEmpty { object["canonicalValues"] = .array(canonicalValues.map(SCIMJSON.string)) }
        if !referenceTypes.isEmpty { object["referenceTypes"] = .array(referenceTypes.map(SCIMJSON.string)) }
        if !subAttributes.isEmpty { object["subAttributes"] = .array(subAttributes.map(\.json)) }
        return .object(object)
    }
}

/// A schema: core User, core Group or the enterprise User extension.
struct SCIMSchema: Sendable {
    var id: String
    var name: String
    var attributes: [SCIMAttribute]

    func attribute(_ name: String) -> SCIMAttribute? {
        attributes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    func json(location: String) -> SCIMJSON {
        .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:Schema")]),
            "id": .string(id), "name": .string(name), "description": .string(name),
            "attributes": .array(attributes.map(\.json)),
            "meta": .object(["resourceType": .string("Schema"), "location": .string(location)]),
        ])
    }
}

/// The two resource types every app serves.
enum SCIMResourceType: String, Codable, Sendable, CaseIterable {
    case user = "User"
    case group = "Group"

    var endpoint: String { self == .user ? "Users" : "Groups" }
    var schema: SCIMSchema { self == .user ? SCIMSchemas.user : SCIMSchemas.group }
    var extensions: [SCIMSchema] { self == .user ? [SCIMSchemas.enterpriseUser] : [] }

    func json(location: String) -> SCIMJSON {
        var object: [String: SCIMJSON] = [
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:ResourceType")]),
            "id": .string(rawValue), "name": .string(rawValue), "endpoint": .string("/" + endpoint),
            "description": .string(self == .user ? "User Account" : "Group"), "schema": .string(schema.id),
            "meta": .object(["resourceType": .string("ResourceType"), "location": .string(location)]),
        ]
        if !extensions.isEmpty {
            object["schemaExtensions"] = .array(
                extensions.map { .object(["schema": .string($0.id), "required": .bool(false)]) })
        }
        return .object(object)
    }
}

/// The RFC 7643 §8.7 schemas, written once.
enum SCIMSchemas {
    static let errorURN = "urn:ietf:params:scim:api:messages:2.0:Error"
    static let listURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    static let patchURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    static let all = [user, group, enterpriseUser]

    static func schema(id: String) -> SCIMSchema? {
        all.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }

    private static func text(_ name: String, caseExact: Bool = false, canonical: [String] = []) -> SCIMAttribute {
        SCIMAttribute(name: name, kind: .string, isCaseExact: caseExact, canonicalValues: canonical)
    }

    private static func flag(_ name: String) -> SCIMAttribute {
        SCIMAttribute(name: name, kind: .boolean)
    }

    private static func multi(_ name: String, value: SCIMAttribute? = nil, types: [String] = []) -> SCIMAttribute {
        SCIMAttribute(
            name: name, kind: .complex, isMultiValued: true,
            subAttributes: [value ?? text("value"), text("display"), text("type", canonical: types), flag("primary")])
    }

    static let user = SCIMSchema(
        id: "urn:ietf:params:scim:schemas:core:2.0:User", name: "User",
        attributes: [
            SCIMAttribute(name: "userName", kind: .string, isRequired: true, isUnique: true),
            SCIMAttribute(
                name: "name", kind: .complex,
                subAttributes: ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"]
                    .map { text($0) }),
            text("displayName"), text("nickName"),
            SCIMAttribute(name: "profileUrl", kind: .reference, isCaseExact: true, referenceTypes: ["external"]),
            text("title"), text("userType"), text("preferredLanguage"), text("locale"), text("timezone"), flag("active"),
            SCIMAttribute(name: "password", kind: .string, isCaseExact: true, mutability: .writeOnly, returned: .never),
            multi("emails", types: ["work", "home", "other"]),
            multi("phoneNumbers", types: ["work", "home", "mobile", "fax", "pager", "other"]),
            multi("ims", types: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
            multi(
                "photos",
                value: SCIMAttribute(name: "value", kind: .reference, isCaseExact: true, referenceTypes: ["external"]),
                types: ["photo", "thumbnail"]),
            SCIMAttribute(
                name: "addresses", kind: .complex, isMultiValued: true,
                subAttributes: ["formatted", "streetAddress", "locality", "region", "postalCode", "country"].map { text($0) }
                    + [text("type", canonical: ["work", "home", "other"]), flag("primary")]),
            SCIMAttribute(
                name: "groups", kind: .complex, isMultiValued: true, mutability: .readOnly,
                subAttributes: [
                    SCIMAttribute(name: "value", kind: .string, isCaseExact: true, mutability: .readOnly),
                    SCIMAttribute(
                        name: "$ref", kind: .reference, isCaseExact: true, mutability: .readOnly, referenceTypes: ["Group"]),
                    SCIMAttribute(name: "display", kind: .string, mutability: .readOnly),
                    SCIMAttribute(name: "type", kind: .string, mutability: .readOnly, canonicalValues: ["direct", "indirect"]),
                ]),
            multi("entitlements"), multi("roles"),
            multi("x509Certificates", value: SCIMAttribute(name: "value", kind: .binary, isCaseExact: true)),
        ])

    static let group = SCIMSchema(
        id: "urn:ietf:params:scim:schemas:core:2.0:Group", name: "Group",
        attributes: [
            SCIMAttribute(name: "displayName", kind: .string, isRequired: true),
            SCIMAttribute(
                name: "members", kind: .complex, isMultiValued: true,
                subAttributes: [
                    SCIMAttribute(name: "value", kind: .string, isCaseExact: true, mutability: .immutable),
                    SCIMAttribute(
                        name: "$ref", kind: .reference, isCaseExact: true, mutability: .immutable,
                        referenceTypes: ["User", "Group"]),
                    SCIMAttribute(name: "type", kind: .string, mutability: .immutable, canonicalValues: ["User", "Group"]),
                    text("display"),
                ]),
        ])

    static let enterpriseUser = SCIMSchema(
        id: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", name: "EnterpriseUser",
        attributes: ["employeeNumber", "costCenter", "organization", "division", "department"].map { text($0) } + [
            SCIMAttribute(
                name: "manager", kind: .complex,
                subAttributes: [
                    SCIMAttribute(name: "value", kind: .string, isCaseExact: true),
                    SCIMAttribute(name: "$ref", kind: .reference, isCaseExact: true, referenceTypes: ["User"]),
                    SCIMAttribute(name: "displayName", kind: .string, mutability: .readOnly),
                ])
        ])

    /// RFC 7644 §5: what this sandbox supports, honestly.
    static func serviceProviderConfig(location: String) -> SCIMJSON {
        .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")]),
            "documentationUri": .string("https://example.com/docs/sandbox-scim"),
            "patch": .object(["supported": .bool(true)]),
            "bulk": .object(["supported": .bool(false), "maxOperations": .int(0), "maxPayloadSize": .int(0)]),
            "filter": .object(["supported": .bool(true), "maxResults": .int(SCIMStore.maxResults)]),
            "changePassword": .object(["supported": .bool(false)]),
            "sort": .object(["supported": .bool(false)]),
            "etag": .object(["supported": .bool(true)]),
            "authenticationSchemes": .array([
                .object([
                    "type": .string("oauthbearertoken"), "name": .string("OAuth Bearer Token"),
                    "description": .string("Authentication with the app's bearer token"), "primary": .bool(true),
                ])
            ]),
            "meta": .object(["resourceType": .string("ServiceProviderConfig"), "location": .string(location)]),
        ])
    }
}
