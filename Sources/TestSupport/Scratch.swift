import Foundation

/// Temporary directories and copies of the example workspace, for tests that write files. Each call makes a new
/// directory, `<system temporary directory>/<prefix>-<UUID>`; the test removes it.
public enum Scratch {
    /// The repository's root (`Package.swift`, `examples/`), found from this file's place in it.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A new, empty directory.
    public static func directory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of `examples/` in a new directory: all of it, or only `parts` of it (`stoicprov.yaml`, `tenants`,
    /// `rosters`).
    public static func examples(_ prefix: String, only parts: [String]? = nil) throws -> URL {
        let source = repository.appendingPathComponent("examples")
        guard let parts else {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: source, to: url)
            return url
        }
        let url = try directory(prefix)
        for part in parts {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(part), to: url.appendingPathComponent(part))
        }
        return url
    }
}
