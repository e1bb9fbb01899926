/// Renders `SpecShape` as a Markdown table of every key (path, type, required, default, meaning) for
/// `docs/spec.md`, so the reference cannot drift from what the validator checks.
public enum SpecReference {
    public static func table(for kind: JSONSchema.Kind) -> String {
        var lines = ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
        rows(of: kind.shape, path: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rows(of shape: SpecShape, path: String, into lines: inout [String]) {
        switch shape {
        case .value:
            break
        case .list(let item, _, _, _):
            rows(of: item, path: path + "[]", into: &lines)
        case .object(let object):
            for key in object.keys {
                let keyPath = path.isEmpty ? key.name : path + "." + key.name
                lines.append(row(keyPath, key.shape, key.isRequired ? "yes" : "", key.defaultValue ?? "", key.summary))
                rows(of: key.shape, path: keyPath, into: &lines)
            }
            if let entries = object.entries {
                let keyPath = (path.isEmpty ? "" : path + ".") + "<\(entries.noun.replacingOccurrences(of: " ", with: "-"))>"
                lines.append(row(keyPath, entries.shape, "", "", entries.summary))
                rows(of: entries.shape, path: keyPath, into: &lines)
            }
        }
    }

    private static func row(
        _ path: String, _ shape: SpecShape, _ required: String, _ defaultValue: String, _ summary: String
    )
        -> String
    {
        let cells = ["`\(path)`", shape.expectation, required, defaultValue.isEmpty ? "" : "`\(defaultValue)`", summary]
        return "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
    }
}
