import Live
import Planner

/// Groups a tenant's SCIM membership changes into PATCHes of many members: the changes that add to (or remove from)
/// one group of one app go out together, `SCIMClient.membersPerPatch` at a time.
///
/// A batch leaves when it is full, or when every change of its group that is still to come is ready (nothing more
/// will join it), or when nothing else is running or ready (so the run never stalls waiting for a batch to fill).
/// So a group of `m` new members costs `⌈m / 100⌉` PATCHes, not `m`.
struct MembershipBatches {
    /// What a batch shares: the app, the group and the direction.
    struct Key: Hashable {
        var app: String
        var group: String
        var adds: Bool
    }

    /// One membership change's fields.
    struct Member {
        var key: Key
        var groupID: String?
        var userName: String
        var userID: String?

        init?(_ action: Action) {
            switch action {
            case .addSCIMMember(let app, let group, let groupID, let userName, let userID):
                self.init(Key(app: app, group: group, adds: true), groupID, userName, userID)
            case .removeSCIMMember(let app, let group, let groupID, let userName, let userID):
                self.init(Key(app: app, group: group, adds: false), groupID, userName, userID)
            default:
                return nil
            }
        }

        private init(_ key: Key, _ groupID: String?, _ userName: String, _ userID: String?) {
            self.key = key
            self.groupID = groupID
            self.userName = userName
            self.userID = userID
        }
    }

    let size: Int
    private let keys: [Key?]
    /// Ready changes of each key, in the order they became ready.
    private var pending: [Key: [Int]] = [:]
    /// Changes of each key not yet sent nor skipped.
    private var outstanding: [Key: Int] = [:]

    init(_ changes: [Change], size: Int = SCIMClient.membersPerPatch) {
        self.size = max(1, size)
        keys = changes.map { Member($0.action)?.key }
        for key in keys.compactMap({ $0 }) { outstanding[key, default: 0] += 1 }
    }

    /// Whether the change at `index` goes out in a batch.
    func holds(_ index: Int) -> Bool { keys[index] != nil }

    /// The change at `index` is ready.
    mutating func add(_ index: Int) {
        guard let key = keys[index] else { return }
        pending[key, default: []].append(index)
    }

    /// The change at `index` will never be sent (a prerequisite failed).
    mutating func skipped(_ index: Int) {
        guard let key = keys[index] else { return }
        outstanding[key, default: 0] -= 1
    }

    /// The next batch to send, or `nil` to wait. `idle`: nothing else is running or ready.
    mutating func take(idle: Bool) -> [Int]? {
        let candidates = pending.filter { !$0.value.isEmpty }
        guard !candidates.isEmpty else { return nil }
        let full = candidates.first { $0.value.count >= size }
        let complete = candidates.first { $0.value.count >= outstanding[$0.key, default: 0] }
        let largest = idle ? candidates.max { ($0.value.count, $1.key.group) < ($1.value.count, $0.key.group) } : nil
        guard let (key, indices) = full ?? complete ?? largest else { return nil }
        let batch = Array(indices.prefix(size))
        pending[key] = Array(indices.dropFirst(batch.count))
        outstanding[key, default: 0] -= batch.count
        return batch
    }
}

extension TenantRun {
    /// Carries out membership changes of one app, group and direction with one PATCH; the result of each, in order.
    /// A user or group that cannot be resolved fails only its own change. A 400 for the whole PATCH (one member the
    /// server will not take) is retried member by member, so that each change gets its own outcome.
    func performMemberships(_ changes: [Change]) async -> [Result<StepResult, LiveError>] {
        let members = changes.compactMap { MembershipBatches.Member($0.action) }
        guard let first = members.first, members.count == changes.count else {
            return changes.map { _ in .failure(.unresolvedID(what: "a SCIM membership")) }
        }
        let client: SCIMClient
        let groupID: String
        do throws(LiveError) {
            client = try scim(first.key.app)
            let planned = members.lazy.compactMap(\.groupID).first
            groupID = try await scimGroupID(planned, app: first.key.app, group: first.key.group, client: client)
        } catch {
            return changes.map { _ in .failure(error) }
        }
        var results = [Result<StepResult, LiveError>?](repeating: nil, count: changes.count)
        var resolved: [(position: Int, userID: String)] = []
        for (position, member) in members.enumerated() {
            do throws(LiveError) {
                let userID = try await scimUserID(member.userID, app: first.key.app, userName: member.userName, client: client)
                resolved.append((position, userID))
            } catch {
                results[position] = .failure(error)
            }
        }
        let send = { (userIDs: [String]) async throws(LiveError) -> Int in
            first.key.adds
                ? try await client.addMembers(groupID: groupID, userIDs: userIDs)
                : try await client.removeMembers(groupID: groupID, userIDs: userIDs)
        }
        do throws(LiveError) {
            let status = resolved.isEmpty ? nil : try await send(resolved.map(\.userID))
            for entry in resolved { results[entry.position] = .success(StepResult(status: status)) }
        } catch {
            for entry in resolved {
                if resolved.count > 1, case .status(400, _, _, _) = error {
                    do throws(LiveError) {
                        results[entry.position] = .success(StepResult(status: try await send([entry.userID])))
                    } catch {
                        results[entry.position] = .failure(error)
                    }
                } else {
                    results[entry.position] = .failure(error)
                }
            }
        }
        return results.map { $0 ?? .failure(.unresolvedID(what: "a SCIM membership")) }
    }
}
