import Spec

/// Reads what an OpenAPI document's schemas demand of a response body, from the `Node` tree `YAMLLoader` builds.
///
/// Schemas are looked up under `components.schemas`; `$ref`s of the form `#/components/schemas/<Name>` are
/// followed, and `allOf` parts are merged. A reference cycle stops at the first repeat.
public enum OpenAPIRequiredFields {
    /// The property names schema `name` lists as `required` (union over `allOf`); `nil` if there is no such schema.
    public static func required(_ name: String, in document: Node) -> Set<String>? {
        guard let schema = schema(name, in: document) else { return nil }
        var visited: Set<String> = [name]
        return collect(schema, in: document, visited: &visited) { node in
            Set((node["required"]?.items ?? []).compactMap(\.string))
        }
    }

    /// Every property name schema `name` declares (union over `allOf`); `nil` if there is no such schema.
    public static func properties(_ name: String, in document: Node) -> Set<String>? {
        guard let schema = schema(name, in: document) else { return nil }
        var visited: Set<String> = [name]
        return collect(schema, in: document, visited: &visited) { node in
            Set((node["properties"]?.pairs ?? []).compactMap(\.key.string))
        }
    }

    /// The schema a property of schema `name` refers to, directly or as the element of an array
    /// (`GetUsersResponse`, `items` → `UserResponse`).
    public static func referencedSchema(_ name: String, property: String, in document: Node) -> String? {
        guard let property = schema(name, in: document)?["properties"]?[property] else { return nil }
        return referenceName(property) ?? property["items"].flatMap(referenceName)
    }

    /// `components.schemas.<name>`.
    public static func schema(_ name: String, in document: Node) -> Node? {
        document["components"]?["schemas"]?[name]
    }

    // MARK: - Walking

    private static func collect(
        _ node: Node, in document: Node, visited: inout Set<String>, _ own: (Node) -> Set<String>
    ) -> Set<String> {
        if let reference = referenceName(node) {
            guard !visited.contains(reference), let target = schema(reference, in: document) else { return [] }
            visited.insert(reference)
            return collect(target, in: document, visited: &visited, own)
        }
        var result = own(node)
        for part in node["allOf"]?.items ?? [] {
            result.formUnion(collect(part, in: document, visited: &visited, own))
        }
        return result
    }

    private static func referenceName(_ node: Node) -> String? {
        let prefix = "#/components/schemas/"
        guard let reference = node["$ref"]?.string, reference.hasPrefix(prefix) else { return nil }
        return String(reference.dropFirst(prefix.count))
    }
}
