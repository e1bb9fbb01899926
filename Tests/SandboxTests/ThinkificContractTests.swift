import Foundation
import Sandbox
import Spec
import TestSupport
import Testing

/// Checks the sandbox's Thinkific bodies against the vendor's OpenAPI file (a copy in `Tests/Fixtures/contracts/`).
@Suite struct ThinkificContractTests {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func document() throws -> Node {
        let url = packageRoot.appendingPathComponent("Tests/Fixtures/contracts/thinkific-admin-api-v1.openapi.yml")
        let data = try Data(contentsOf: url)
        var diagnostics = Diagnostics()
        let node = YAMLLoader.load(data, file: url.path, diagnostics: &diagnostics)
        return try #require(node, "\(diagnostics.all.first?.message ?? "no document")")
    }

    /// What the schema demands: its required fields, or — for schemas that list none (UserResponse, Meta,
    /// Pagination) — every property it declares, since the API answers them all (unset ones as null).
    static func demanded(_ schema: String, in document: Node) throws -> Set<String> {
        let required = try #require(OpenAPIRequiredFields.required(schema, in: document), "no schema \(schema)")
        return required.isEmpty ? try #require(OpenAPIRequiredFields.properties(schema, in: document)) : required
    }

    static func expectCarries(_ object: [String: Any], _ schema: String, in document: Node) throws {
        let missing = try demanded(schema, in: document).subtracting(object.keys)
        #expect(missing.isEmpty, "\(schema) misses \(missing.sorted())")
    }

    /// A harness holding one of everything.
    static func populated() throws -> (ThinkificHarness, user: Int, enrollment: Int, group: Int) {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com", roles: ["group_analyst"])
        let enrollment = try harness.enroll(user: user, course: 101)
        let group = try harness.createGroup("P&G 2026")
        return (harness, user, enrollment, group)
    }

    @Test func singleResourcesCarryEveryRequiredField() throws {
        let document = try Self.document()
        let (harness, user, enrollment, group) = try Self.populated()
        try Self.expectCarries(harness.send("GET", "/users/\(user)").object, "UserResponse", in: document)
        try Self.expectCarries(harness.send("GET", "/courses/101").object, "CourseResponse", in: document)
        try Self.expectCarries(harness.send("GET", "/enrollments/\(enrollment)").object, "EnrollmentResponse", in: document)
        try Self.expectCarries(harness.send("GET", "/groups/\(group)").object, "GroupResponse", in: document)
        _ = harness.send("POST", "/groups/\(group)/analysts", json: ["user_ids": [user]])
        try Self.expectCarries(harness.send("GET", "/groups/\(group)/analysts").object, "GetGroupAnalystsResponse", in: document)
    }

    @Test func createResponsesCarryEveryRequiredField() throws {
        let document = try Self.document()
        let harness = try ThinkificHarness()
        let user = harness.send("POST", "/users", json: ["first_name": "A", "last_name": "B", "email": "a@b.com"])
        try Self.expectCarries(user.object, "UserResponse", in: document)
        let enrollment = harness.send("POST", "/enrollments", json: ["user_id": user.object["id"] ?? 0, "course_id": 102])
        try Self.expectCarries(enrollment.object, "EnrollmentResponse", in: document)
        try Self.expectCarries(harness.send("POST", "/groups", json: ["name": "G"]).object, "GroupResponse", in: document)
    }

    @Test(arguments: [
        ("/users", "GetUsersResponse"), ("/courses", "GetCoursesResponse"), ("/enrollments", "GetEnrollmentsResponse"),
        ("/groups", "GetGroupsResponse"),
    ])
    func listEnvelopesCarryEveryRequiredField(path: String, schema: String) throws {
        let document = try Self.document()
        let (harness, _, _, _) = try Self.populated()
        let answer = harness.send("GET", path)
        try Self.expectCarries(answer.object, schema, in: document)
        let itemSchema = try #require(OpenAPIRequiredFields.referencedSchema(schema, property: "items", in: document))
        #expect(!answer.items.isEmpty)
        for item in answer.items {
            try Self.expectCarries(item, itemSchema, in: document)
        }
        let metaSchema = try #require(OpenAPIRequiredFields.referencedSchema(schema, property: "meta", in: document))
        let meta = try #require(answer.object["meta"] as? [String: Any])
        try Self.expectCarries(meta, metaSchema, in: document)
        let paginationSchema = try #require(
            OpenAPIRequiredFields.referencedSchema(metaSchema, property: "pagination", in: document))
        try Self.expectCarries(answer.pagination, paginationSchema, in: document)
    }

    @Test func theRealDocumentResolvesTheSchemasWeCheck() throws {
        let document = try Self.document()
        #expect(
            OpenAPIRequiredFields.required("CourseResponse", in: document) == [
                "chapter_ids", "id", "instructor_id", "name", "product_id", "reviews_enabled",
            ])
        #expect(OpenAPIRequiredFields.required("EnrollmentResponse", in: document)?.count == 15)
        #expect(OpenAPIRequiredFields.properties("UserResponse", in: document)?.contains("custom_profile_fields") == true)
    }

    @Test func theDefaultSeedYAMLLoadsTheSameSiteAsTheBuiltInDefault() throws {
        var diagnostics = Diagnostics()
        let root = try #require(YAMLLoader.load(Data(DefaultSeed.yaml.utf8), file: "default", diagnostics: &diagnostics))
        let fromYAML = try ThinkificSurface(seed: root["thinkific"])
        let fromSwift = try ThinkificSurface(seed: ThinkificSeed.default)
        #expect(try fromYAML.snapshot() == fromSwift.snapshot())
    }
}
