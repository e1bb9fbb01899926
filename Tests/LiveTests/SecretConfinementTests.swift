import Foundation
import Spec
import Testing

@testable import Live

/// Issue 9, class 1 for secrets: a relative `file:` reference is confined to the workspace like a roster, an absolute
/// one is allowed (deployments mount secrets under `/run/secrets`); either must be a small regular file. No error
/// names the content.
@Suite(.timeLimit(.minutes(1))) struct SecretConfinementTests {
    static let canary = "CANARY_SECRET_9f3b"
    let base: URL
    var workspace: URL { base.appendingPathComponent("workspace") }
    var outside: URL { base.appendingPathComponent("outside") }

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("secret-confinement-\(UUID().uuidString)")
        for directory in ["workspace/secrets", "outside"] {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        try Data(Self.canary.utf8).write(to: base.appendingPathComponent("outside/token"))
        try Data(Self.canary.utf8).write(to: base.appendingPathComponent("workspace/secrets/token"))
    }

    private func refusal(_ reference: String) -> LiveError? {
        do {
            _ = try SecretResolver(workspace: workspace, environment: [:]).resolve(reference, setting: "s")
            return nil
        } catch {
            return error
        }
    }

    private func expectRefused(
        _ reference: String, _ problem: FileProblem, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let path = String(reference.dropFirst(5))
        let error = refusal(reference)
        #expect(
            error == .unreadableSecretFile(setting: "s", path: path, reason: problem.description),
            sourceLocation: sourceLocation)
        #expect(!"\(String(describing: error))".contains(Self.canary), sourceLocation: sourceLocation)
    }

    @Test func relativeInsideAndAbsoluteAreRead() throws {
        let resolver = SecretResolver(workspace: workspace, environment: [:])
        #expect(try resolver.resolve("file:secrets/token", setting: "s").exposedValue() == Self.canary)
        let absolute = outside.appendingPathComponent("token").path
        #expect(try resolver.resolve("file:\(absolute)", setting: "s").exposedValue() == Self.canary)
    }

    @Test func relativeClimbingOutIsRefused() {
        expectRefused("file:../outside/token", .climbsOutOfWorkspace)
        expectRefused("file:secrets/../../outside/token", .climbsOutOfWorkspace)
    }

    @Test func relativeThroughASymlinkOutIsRefused() throws {
        try FileManager.default.createSymbolicLink(
            at: workspace.appendingPathComponent("secrets/link"), withDestinationURL: outside.appendingPathComponent("token"))
        expectRefused("file:secrets/link", .symlinkLeavesWorkspace)
    }

    @Test func fifosDirectoriesAndHugeFilesAreRefused() throws {
        let fifo = workspace.appendingPathComponent("secrets/pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        expectRefused("file:secrets/pipe", .notRegularFile(kind: "FIFO (named pipe)"))
        expectRefused("file:\(fifo)", .notRegularFile(kind: "FIFO (named pipe)"))
        expectRefused("file:secrets", .isDirectory)
        let huge = Data(count: SecretResolver.maxSecretFileBytes + 1)
        try huge.write(to: workspace.appendingPathComponent("secrets/huge"))
        expectRefused("file:secrets/huge", .tooLarge(bytes: huge.count, limit: SecretResolver.maxSecretFileBytes))
    }
}
