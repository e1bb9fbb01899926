import Foundation
import Spec
import Testing

@testable import TestSupport

@Suite struct OpenAPIRequiredFieldsTests {
    static let document = #"""
        {"components": {"schemas": {
          "Base": {"required": ["id"], "properties": {"id": {"type": "number"}}},
          "Named": {"allOf": [{"$ref": "#/components/schemas/Base"},
                              {"required": ["name"], "properties": {"name": {}, "note": {}}}]},
          "List": {"required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Named"}},
                                                         "meta": {"$ref": "#/components/schemas/Base"}}},
          "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}], "required": ["x"]}
        }}}
        """#

    @Test func followsRefAndAllOf() throws {
        let document = try Node.fromJSON(Self.document)
        #expect(OpenAPIRequiredFields.required("Base", in: document) == ["id"])
        #expect(OpenAPIRequiredFields.required("Named", in: document) == ["id", "name"])
        #expect(OpenAPIRequiredFields.properties("Named", in: document) == ["id", "name", "note"])
        #expect(OpenAPIRequiredFields.required("Loop", in: document) == ["x"])
        #expect(OpenAPIRequiredFields.required("Missing", in: document) == nil)
    }

    @Test func findsTheSchemaOfAListsItems() throws {
        let document = try Node.fromJSON(Self.document)
        #expect(OpenAPIRequiredFields.referencedSchema("List", property: "items", in: document) == "Named")
        #expect(OpenAPIRequiredFields.referencedSchema("List", property: "meta", in: document) == "Base")
        #expect(OpenAPIRequiredFields.referencedSchema("List", property: "none", in: document) == nil)
    }
}
