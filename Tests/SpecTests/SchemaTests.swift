import Foundation
import Spec
import Testing

/// The committed JSON Schemas are the generated ones, and they describe what the validator accepts.
@Suite struct SchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: JSONSchema.Kind.allCases)
    func committedSchemaIsUpToDate(_ kind: JSONSchema.Kind) throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("schema/\(kind.fileName)"), encoding: .utf8)
        #expect(
            committed == JSONSchema.text(for: kind),
            "schema/\(kind.fileName) is stale: run `swift run stoicprov schema --out schema`")
    }

    @Test(arguments: JSONSchema.Kind.allCases)
    func schemaIsValidJSONOfDraft2020(_ kind: JSONSchema.Kind) throws {
        let object = try JSONSerialization.jsonObject(with: Data(JSONSchema.text(for: kind).utf8)) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(object?["additionalProperties"] as? Bool == false)
    }

    @Test func tenantSchemaListsTheKeysTheValidatorKnows() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONSchema.text(for: .tenant).utf8)) as? [String: Any])
        let properties = try #require(object["properties"] as? [String: Any])
        guard case .object(let tenant) = SpecShape.tenant else {
            Issue.record("tenant shape is not an object")
            return
        }
        #expect(Set(properties.keys) == Set(tenant.keys.map(\.name)))
        #expect(Set(object["required"] as? [String] ?? []) == Set(tenant.keys.filter(\.isRequired).map(\.name)))
        let seats = properties["seats"] as? [String: Any]
        #expect(seats?["type"] as? String == "integer")
        #expect(seats?["minimum"] as? Int == 1)
    }

    @Test func configSchemaDescribesSCIMConnectionsAsNamedEntries() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONSchema.text(for: .config).utf8)) as? [String: Any])
        let connections = (object["properties"] as? [String: Any])?["connections"] as? [String: Any]
        let scim = try #require(connections?["additionalProperties"] as? [String: Any])
        #expect(scim["required"] as? [String] == ["scim", "token"])
        let names = (connections?["properties"] as? [String: Any])?.keys.sorted()
        #expect(names == ["thinkific", "workos"])
    }

    @Test(arguments: JSONSchema.Kind.allCases)
    func specReferenceHasTheGeneratedKeyTable(_ kind: JSONSchema.Kind) throws {
        let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/spec.md"), encoding: .utf8)
        let table = SpecReference.table(for: kind)
        #expect(docs.contains(table), "docs/spec.md is stale; its table for \(kind) should be:\n\(table)")
    }
}
