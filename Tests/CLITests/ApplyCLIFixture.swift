import Apply
import Foundation
import Live
import Operations
import Sandbox
import TestSupport
import Testing
import Views

#if canImport(Glibc)
    import Glibc
#endif

/// A `stoicprov sandbox` process and a temporary copy of `examples/` pointed at it: the built binary is run in the
/// copy with `--sandbox`, as a user would.
///
/// The copy's Thinkific `requests_per_minute` is raised (the client paces itself to it; the examples say 120, which
/// would make every test take minutes) unless a test is about pacing.
final class ApplyCLIFixture {
    let sandbox: SandboxProcess
    let workspace: URL

    init(sandbox arguments: [String] = ["--rate-limit", "none"], requestsPerMinute: Int = 60_000) throws {
        sandbox = try SandboxProcess(arguments: arguments, executable: BinaryRunner.binary)
        workspace = try Scratch.examples("stoicprov-apply")
        try edit("stoicprov.yaml", replacing: "requests_per_minute: 120", with: "requests_per_minute: \(requestsPerMinute)")
    }

    deinit {
        sandbox.stop()
        try? FileManager.default.removeItem(at: workspace)
    }

    func path(_ relative: String) -> URL { workspace.appendingPathComponent(relative) }

    /// Replaces text in a workspace file; the text must be there.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let text = try String(contentsOf: path(relative), encoding: .utf8)
        try #require(text.contains(old), "\(relative) has no '\(old)'")
        try text.replacingOccurrences(of: old, with: new).write(to: path(relative), atomically: true, encoding: .utf8)
    }

    // MARK: - Running the binary

    /// Runs `stoicprov arguments --sandbox URL` in the workspace, stdin not a terminal, and waits for it.
    func run(_ arguments: [String], timeout: Int = 180) throws -> BinaryRunner.Result {
        let child = try start(arguments)
        return try child.wait(timeout: timeout)
    }

    /// Starts `stoicprov arguments --sandbox URL` in the workspace without waiting.
    func start(_ arguments: [String]) throws -> Child {
        try Child(arguments + ["--sandbox", sandbox.url], in: workspace)
    }

    /// A running `stoicprov`, its output going to files.
    final class Child {
        let process = Process()
        let arguments: [String]
        private let scratch: URL
        private let finished = DispatchSemaphore(value: 0)

        init(_ arguments: [String], in directory: URL) throws {
            self.arguments = arguments
            scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-child-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            for name in ["stdout", "stderr"] {
                _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil)
            }
            process.executableURL = BinaryRunner.binary
            process.arguments = arguments
            process.currentDirectoryURL = directory
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("stdout"))
            process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr"))
            let finished = finished
            process.terminationHandler = { _ in finished.signal() }
            try process.run()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: scratch)
        }

        var pid: Int32 { process.processIdentifier }

        /// Waits for the process to end (killing it after `timeout` seconds, which fails the test).
        func wait(timeout seconds: Int = 180) throws -> BinaryRunner.Result {
            if finished.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + .seconds(5))
                throw BinaryRunner.Failure.timedOut(arguments: arguments, seconds: seconds)
            }
            return BinaryRunner.Result(
                status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
                stdout: (try? String(contentsOf: scratch.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: scratch.appendingPathComponent("stderr"), encoding: .utf8)) ?? "")
        }
    }

    // MARK: - Plans and journals

    /// The change ids of a saved plan (`plan --out`), per tenant.
    func changeIDs(ofPlan relative: String) throws -> [String: [String]] {
        let data = try Data(contentsOf: path(relative))
        let plan = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var ids: [String: [String]] = [:]
        for tenant in plan["tenants"] as? [[String: Any]] ?? [] {
            let name = tenant["tenant"] as? String ?? ""
            ids[name] = (tenant["changes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        return ids
    }

    /// Every line of a tenant's journal as a JSON object; a line that is not valid JSON fails the test.
    func journal(_ tenant: String) throws -> [[String: Any]] {
        let url = path(".stoicprov/journal/\(tenant).jsonl")
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return try data.split(separator: 0x0A).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], "not a JSON object")
        }
    }

    func journalText(_ tenant: String) -> String {
        (try? String(contentsOf: path(".stoicprov/journal/\(tenant).jsonl"), encoding: .utf8)) ?? ""
    }

    func lock(_ tenant: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path(".stoicprov/locks/\(tenant).lock").path) else {
            return nil
        }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    // MARK: - The sandbox's APIs

    /// Clients on the sandbox's default credentials; they retry through injected faults.
    func clients() -> ApplyClients {
        let policy = ChannelPolicy(maxAttempts: 10, baseDelay: 0.02, maxDelay: 1, timeout: 10)
        return ApplyClients(SandboxClients.observer(sandbox.url, scimApps: ["insights", "dashboard"], policy: policy))
    }

    /// Sends a request to the sandbox's control surface (never faulted or limited).
    func control(_ method: String, _ path: String, json: String? = nil) async throws -> (status: Int, body: String) {
        let url = try #require(URL(string: sandbox.url + "/_sandbox/" + path))
        let response = try await URLSessionTransport().send(
            TransportRequest(
                method: method, url: url, headers: json == nil ? [] : [("Content-Type", "application/json")],
                body: json.map { Data($0.utf8) }))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    func stats() async throws -> [String: Any] {
        let (_, body) = try await control("GET", "stats")
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    /// Keys that occur more than once, with their counts.
    static func duplicates(_ keys: [String]) -> [String: Int] {
        Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }
    }

    /// Everything that exists more than once where it must be unique, counted through the APIs: Thinkific users by
    /// email, enrollments per user and course, SCIM users by userName per app, WorkOS organizations by external_id.
    func liveDuplicates() async throws -> [String: Int] {
        let clients = clients()
        let thinkific = try #require(clients.thinkific)
        var found: [String: Int] = [:]
        let users = try await thinkific.allUsers()
        found.merge(Self.duplicates(users.map { "thinkific user " + $0.email.lowercased() })) { $1 }
        var enrollments: [String] = []
        for course in try await thinkific.courses() {
            enrollments += try await thinkific.enrollments(courseID: course.id).map { "enrollment \($0.userID)/\($0.courseID)" }
        }
        found.merge(Self.duplicates(enrollments)) { $1 }
        for (app, scim) in clients.scim {
            found.merge(Self.duplicates(try await scim.allUsers().map { "\(app) user " + $0.userName.lowercased() })) { $1 }
        }
        let workos = try #require(clients.workos)
        let organizations = try await workos.channel.send("GET", "/organizations", query: [("limit", "100")])
        let listed = try JSONSerialization.jsonObject(with: organizations.body) as? [String: Any]
        let externalIDs = (listed?["data"] as? [[String: Any]] ?? []).compactMap { $0["external_id"] as? String }
        found.merge(Self.duplicates(externalIDs.map { "organization " + $0 })) { $1 }
        return found
    }

    /// How many Thinkific users, enrollments and SCIM users there are: shows that the apply did write.
    func liveCounts() async throws -> (users: Int, enrollments: Int, scimUsers: Int) {
        let clients = clients()
        let thinkific = try #require(clients.thinkific)
        var enrollments = 0
        for course in try await thinkific.courses() { enrollments += try await thinkific.enrollments(courseID: course.id).count }
        var scimUsers = 0
        for scim in clients.scim.values { scimUsers += try await scim.allUsers().count }
        return (try await thinkific.allUsers().count, enrollments, scimUsers)
    }
}

/// Polls `condition` every 50 ms for up to `seconds`; whether it became true.
func eventually(within seconds: Double = 120, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}
