import Apply
import Foundation
import Live

/// Step 5 of `stoicprov demo`: what an identity provider would push to WorkOS Directory Sync, sent through the
/// sandbox's control surface (`/_sandbox/workos/…`, docs/sandbox.md): one person leaves an IdP group, another
/// person joins one.
public struct DemoDirectoryChange: Sendable {
    /// The directory's organization, by external id (the tenant id).
    public var tenant: String
    /// The person who leaves `leftGroup`; their groups become `remainingGroups` (empty: nobody leaves).
    public var leaver: String
    public var leftGroup: String
    public var remainingGroups: [String]
    /// The new person, added to the directory in `joinedGroup`.
    public var joiner: (email: String, firstName: String, lastName: String)
    public var joinedGroup: String

    /// The example workspace's scenario: Ivy, a P&G learner and manager, leaves SG-Stoic-Managers (she stays a
    /// learner, so she loses only what managers get); Zara, new at P&G, joins SG-Stoic-Managers.
    public static let example = DemoDirectoryChange(
        tenant: "pg", leaver: "ivy.nguyen@pg.com", leftGroup: "SG-Stoic-Managers", remainingGroups: ["SG-Stoic-Learners"],
        joiner: ("zara.new@pg.com", "Zara", "New"), joinedGroup: "SG-Stoic-Managers")

    /// Step 7's push: Nia, new at P&G, joins SG-Stoic-Learners (nobody leaves).
    public static let reconcileJoiner = DemoDirectoryChange(
        tenant: "pg", leaver: "", leftGroup: "", remainingGroups: [], joiner: ("nia.reconcile@pg.com", "Nia", "Reconcile"),
        joinedGroup: "SG-Stoic-Learners")

    public init(
        tenant: String, leaver: String, leftGroup: String, remainingGroups: [String],
        joiner: (email: String, firstName: String, lastName: String), joinedGroup: String
    ) {
        self.tenant = tenant
        self.leaver = leaver
        self.leftGroup = leftGroup
        self.remainingGroups = remainingGroups
        self.joiner = joiner
        self.joinedGroup = joinedGroup
    }

    /// The control requests, in order, against the sandbox at `root` (`http://127.0.0.1:PORT`).
    public func requests(root: String) throws(LiveError) -> [TransportRequest] {
        let directory = "\(root)/_sandbox/workos/directories/\(tenant)/users"
        guard let join = URL(string: directory) else { throw .invalidURL(directory) }
        let headers = [(name: "Content-Type", value: "application/json")]
        let leaveBody: [String: Any] = ["groups": remainingGroups]
        let joinBody: [String: Any] = [
            "email": joiner.email, "first_name": joiner.firstName, "last_name": joiner.lastName, "groups": [joinedGroup],
        ]
        var requests: [TransportRequest] = []
        if !leaver.isEmpty {
            guard let leave = URL(string: "\(directory)/\(leaver)") else { throw .invalidURL(directory) }
            requests.append(TransportRequest(method: "PATCH", url: leave, headers: headers, body: Self.json(leaveBody)))
        }
        requests.append(TransportRequest(method: "POST", url: join, headers: headers, body: Self.json(joinBody)))
        return requests
    }

    /// Sends the requests; any answer but 200/201 is an error.
    public func send(root: String, transport: any HTTPTransport) async throws(LiveError) {
        for request in try requests(root: root) {
            let response = try await transport.send(request)
            guard response.status == 200 || response.status == 201 else {
                throw .status(
                    code: response.status, method: request.method, path: request.url.path,
                    message: String(decoding: response.body, as: UTF8.self))
            }
        }
    }

    private static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
