import Planner

extension WorkOSClient {
    /// The organization whose `external_id` is `externalID`, with its SSO connections and directories, each sorted by
    /// id (the two listings read side by side): the one reader of a tenant's organization, behind observe, describe
    /// and import. `organization` is `nil` when none exists yet; groups and people are left to the caller.
    public func organizationRecord(externalID: String) async throws(LiveError) -> ObservedDirectory {
        guard let organization = try await organization(externalID: externalID) else {
            return ObservedDirectory(organization: nil)
        }
        async let connectionsRead = Observer.catching { () async throws(LiveError) in
            try await self.connections(organizationID: organization.id)
        }
        let directories = try await directories(organizationID: organization.id).sorted { $0.id < $1.id }
        let connections = try await connectionsRead.get().sorted { $0.id < $1.id }
        return ObservedDirectory(organization: organization, connections: connections, directories: directories)
    }

    /// Every group of `directories`, directory by directory (read concurrently).
    public func groups(of directories: [WorkOSDirectory]) async throws(LiveError) -> [DirectoryGroupInfo] {
        try await concurrently(directories.count) { (index: Int) async throws(LiveError) in
            try await self.directoryGroups(directoryID: directories[index].id)
        }.flatMap { $0 }
    }
}
