import Foundation
import Planner
import Spec
import Synchronization

/// What one run learned about a SCIM app: the filters it supports (from the connection, else `ServiceProviderConfig`,
/// lowered when the app refuses one), which filters have found something (an app that ignores a filter with an
/// empty 200 never does, so those are trusted when they find nothing) and whether its groups list their members.
final class SCIMDiscovery: Sendable {
    private struct State {
        var filter: SCIMFilterSupport?
        var listsMembers = false
        /// `attribute operator` pairs that found something in this run.
        var proven: Set<String> = []
    }

    private let state: Mutex<State>
    /// The app's whole user listing, read at most once per run for the tenants that need it.
    let listing = Memo<[WireSCIMUser]>()
    /// The app's group listing (without members) for observations' cross-checks, read at most once per run. Never
    /// used by apply, whose lookups must see what the run itself created.
    let groupListing = Memo<[WireSCIMGroup]>()
    /// The `ServiceProviderConfig` read, shared by the reads that start together.
    let configuration = Memo<SCIMFilterSupport>()

    init(_ filter: SCIMFilterSupport?) {
        state = Mutex(State(filter: filter))
    }

    func isProven(_ filter: String) -> Bool { state.withLock { $0.proven.contains(filter) } }

    /// Records what a filtered read found: anything proves the filter works.
    func found(_ count: Int, with filter: String) {
        guard count > 0 else { return }
        state.withLock { _ = $0.proven.insert(filter) }
    }

    var filter: SCIMFilterSupport? { state.withLock { $0.filter } }
    var listsMembers: Bool { state.withLock { $0.listsMembers } }

    func set(_ filter: SCIMFilterSupport) { state.withLock { $0.filter = filter } }

    /// After a refusal: `ew` falls back to `eq`, `eq` to no filters.
    func lower(from filter: SCIMFilterSupport) {
        state.withLock { state in
            guard state.filter == filter else { return }
            state.filter = filter == .ew ? .eq : .none
        }
    }

    func sawMembers() { state.withLock { $0.listsMembers = true } }
}

/// Filters are optional in SCIM (RFC 7644 §3.4.2.2) and providers differ: some refuse what they do not support
/// (400 `invalidFilter`, 501), some answer it with an empty 200. So reads use only what the app supports, prefer
/// `eq`, and never take "no results" for "nobody there" without a cross-check against the listing.
extension SCIMClient {
    /// The filters to use: the connection's, or for `auto` what `ServiceProviderConfig` says (`filter.supported`:
    /// `eq`; otherwise none). An app without that endpoint is taken to filter with `eq`, which every read cross-checks.
    func filterSupport() async throws(LiveError) -> SCIMFilterSupport {
        if let known = discovered.filter { return known }
        return try await discovered.configuration.value { () async throws(LiveError) in
            try await self.readServiceProviderConfig()
        }
    }

    private func readServiceProviderConfig() async throws(LiveError) -> SCIMFilterSupport {
        if let known = discovered.filter { return known }
        let path = "/ServiceProviderConfig"
        let response = try await channel.send("GET", path)
        var found = SCIMFilterSupport.eq
        if response.isSuccess {
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            let filter = object?["filter"] as? [String: Any]
            // RFC 7643 §5 says a boolean; a vendor sent 0 and 1 (Snowflake until its 2026_03 bundle).
            switch filter?["supported"] {
            case let flag as Bool: found = flag ? .eq : .none
            case let number as NSNumber: found = number.intValue != 0 ? .eq : .none
            case let text as String: found = text.lowercased() == "true" ? .eq : .none
            default: found = .none
            }
        } else if ![400, 403, 404, 405, 501].contains(response.status) {
            try expect(response, [200], method: "GET", path: path)
        }
        discovered.set(found)
        return found
    }

    /// Whether a failed filtered read means "the app does not support this filter" (RFC 7644 §3.4.2.2, §3.12).
    static func refusesFilter(_ error: LiveError) -> Bool {
        guard case .status(let code, _, _, _) = error else { return false }
        return code == 400 || code == 501
    }

    /// Users matching `filter` when the app supports it (`needs`), else `nil`: the caller reads the listing. A refusal
    /// lowers what this run uses.
    private func filteredUsers(_ filter: String, needs: SCIMFilterSupport) async throws(LiveError) -> [SCIMUser]? {
        let support = try await filterSupport()
        guard support == needs || (support == .ew && needs == .eq) else { return nil }
        do throws(LiveError) {
            let found = try await users(filter: filter)
            discovered.found(found.count, with: "userName eq")
            return found
        } catch {
            guard Self.refusesFilter(error) else { throw error }
            discovered.lower(from: support)
            return nil
        }
    }

    /// The user with this `userName` (compared case-insensitively, as SCIM does), if any: `userName eq`; when that
    /// finds nobody and has not yet found anybody in this run (or the app does not filter), the listing decides.
    public func user(userName: String) async throws(LiveError) -> SCIMUser? {
        let wanted = userName.lowercased()
        if let found = try await filteredUsers("userName eq \(Self.quote(userName))", needs: .eq) {
            if let user = found.first(where: { $0.userName.lowercased() == wanted }) { return user }
            if discovered.isProven("userName eq") { return nil }
        }
        return try await allUsers().first { $0.userName.lowercased() == wanted }
    }

    /// The users of a tenant: with `ew` support, one `userName ew "@domain"` read per domain (a domain that finds
    /// nobody is cross-checked against the listing until the filter has found somebody in this run) and one lookup
    /// per person of `others` (emails outside the domains); otherwise the whole listing (read once, by `listing`),
    /// for the caller to match locally.
    func tenantUsers(
        domains: [String], others: [String], listing: () async throws(LiveError) -> [WireSCIMUser]
    ) async throws(LiveError) -> [WireSCIMUser] {
        guard try await filterSupport() == .ew else { return try await listing() }
        var found: [WireSCIMUser] = []
        var filters = domains.map { "userName ew \(Self.quote("@" + $0.lowercased()))" }
        filters += others.map { "userName eq \(Self.quote($0))" }
        for filter in filters {
            let page: [WireSCIMUser]
            do throws(LiveError) {
                page = try await listAll(WireSCIMUser.self, "/Users", filter: filter)
            } catch {
                guard Self.refusesFilter(error) else { throw error }
                discovered.lower(from: .ew)
                return try await listing()
            }
            let kind = filter.hasPrefix("userName ew") ? "userName ew" : "userName eq"
            discovered.found(page.count, with: kind)
            // An app may answer a filter it ignores with an empty 200.
            guard !page.isEmpty || discovered.isProven(kind) else { return try await listing() }
            found += page
        }
        return found
    }

    /// The group with exactly this `displayName`: `displayName eq`, and when that finds none (or the app does not
    /// filter) the listing decides, so an ignored filter never leads to a second group of the same name.
    public func group(displayName: String) async throws(LiveError) -> SCIMGroup? {
        try await groupRead(displayName: displayName)?.group
    }

    /// Like `group(displayName:)`, with whether the answer listed the members; `sharedListing` makes the cross-check
    /// read the group listing once per run (observation only).
    func groupRead(displayName: String, sharedListing: Bool = false) async throws(LiveError) -> WireSCIMGroup? {
        if try await filterSupport() != .none {
            do throws(LiveError) {
                let found = try await listAll(
                    WireSCIMGroup.self, "/Groups", filter: "displayName eq \(Self.quote(displayName))")
                discovered.found(found.count, with: "displayName eq")
                if let group = found.first(where: { $0.group.displayName == displayName }) {
                    if group.membersListed { discovered.sawMembers() }
                    return group
                }
                if discovered.isProven("displayName eq") { return nil }
            } catch {
                guard Self.refusesFilter(error) else { throw error }
                discovered.lower(from: try await filterSupport())
            }
        }
        // The cross-check (or the only way): every group, members left out where the app honours that.
        let read = { @Sendable () async throws(LiveError) -> [WireSCIMGroup] in
            try await self.listAll(WireSCIMGroup.self, "/Groups", filter: nil, extra: [("excludedAttributes", "members")])
        }
        let all = sharedListing ? try await discovered.groupListing.value(read) : try await read()
        guard var group = all.first(where: { $0.group.displayName == displayName }) else { return nil }
        group.membersListed = false
        return group
    }
}

/// Group membership when groups come without `members` (IAM Identity Center leaves the attribute out of list and get
/// answers; scim2-server leaves it out of an empty group): an absent attribute says nothing until the app has
/// shown, in this run, that its groups list members.
extension SCIMClient {
    /// `groups` with their members, read another way where the answer left them out: `GET /Groups/{id}`; else the
    /// users' `groups` attribute when the app fills it in; else one `members[value eq "ID"]` read per user in `users`
    /// (the people the plan may add or remove).
    func withMembers(_ groups: [WireSCIMGroup], users: [WireSCIMUser]) async throws(LiveError) -> [SCIMGroup] {
        if groups.contains(where: \.membersListed) { discovered.sawMembers() }
        var resolved: [SCIMGroup] = []
        var unlisted: [WireSCIMGroup] = []
        for group in groups {
            if group.membersListed || discovered.listsMembers { resolved.append(group.group) } else { unlisted.append(group) }
        }
        var stillUnlisted: [SCIMGroup] = []
        for group in unlisted {
            let read = try await groupResource(groupID: group.group.id)
            if read.membersListed {
                discovered.sawMembers()
                resolved.append(read.group)
            } else {
                stillUnlisted.append(read.group)
            }
        }
        guard !stillUnlisted.isEmpty else { return resolved }
        // A group resource that lists members elsewhere in this app: an absent attribute is an empty group.
        if discovered.listsMembers { return resolved + stillUnlisted }
        let members = try await memberships(of: Set(stillUnlisted.map(\.id)), users: users)
        return resolved
            + stillUnlisted.map {
                SCIMGroup(id: $0.id, displayName: $0.displayName, memberIDs: (members[$0.id] ?? []).sorted())
            }
    }

    /// Member ids of `groupIDs` among `users`: from the users' `groups` attribute when any user carries it, else one
    /// `GET /Groups?filter=members[value eq "ID"]` per user.
    private func memberships(of groupIDs: Set<String>, users: [WireSCIMUser]) async throws(LiveError) -> [String: [String]] {
        var members: [String: [String]] = [:]
        if users.contains(where: { $0.groupIDs != nil }) {
            for user in users {
                for group in user.groupIDs ?? [] where groupIDs.contains(group) {
                    members[group, default: []].append(user.scimID)
                }
            }
            return members
        }
        let ids = users.map(\.scimID)
        let found = try await concurrently(ids.count) { (index: Int) async throws(LiveError) in
            try await self.listAll(
                WireSCIMGroup.self, "/Groups", filter: "members[value eq \(Self.quote(ids[index]))]",
                extra: [("excludedAttributes", "members")])
        }
        for (userID, groups) in zip(ids, found) {
            for group in groups where groupIDs.contains(group.scimID) { members[group.scimID, default: []].append(userID) }
        }
        return members
    }
}
