import Foundation

extension WorkOSState {
    /// The state a seed describes, every object stamped `now`. No events: a seed is the world as it already was.
    init(seed: WorkOSSeed, now: Date) {
        self.init()
        let stamp = Timestamp.format(now)
        for entry in seed.organizations {
            let organizationID = ids.next("org", at: now)
            let domains = entry.domains.map {
                WorkOSDomain(
                    id: ids.next("org_domain", at: now), domain: $0, state: "verified", createdAt: stamp, updatedAt: stamp)
            }
            organizations.append(
                WorkOSOrganization(
                    id: organizationID, name: entry.name, externalID: entry.externalID, domains: domains, metadata: [:],
                    createdAt: stamp, updatedAt: stamp))
            for connection in entry.connections {
                connections.append(
                    SSOConnectionRecord(
                        id: ids.next("conn", at: now), organizationID: organizationID, connectionType: connection.type,
                        name: connection.name, state: connection.state,
                        domains: entry.domains.map {
                            SSOConnectionDomainRecord(id: ids.next("conn_domain", at: now), domain: $0)
                        },
                        createdAt: stamp, updatedAt: stamp))
            }
            for directory in entry.directories {
                seedDirectory(directory, organizationID: organizationID, domain: entry.domains.first, now: now)
            }
        }
    }

    private mutating func seedDirectory(_ seed: WorkOSSeed.Directory, organizationID: String, domain: String?, now: Date) {
        let stamp = Timestamp.format(now)
        let directoryID = ids.next("directory", at: now)
        directories.append(
            WorkOSDirectory(
                id: directoryID, organizationID: organizationID, externalKey: Self.externalKey(directoryID),
                name: seed.name, type: seed.type, state: "linked", domain: domain, createdAt: stamp, updatedAt: stamp))
        // Groups first (declared, then any only named by people), so group ids are older than user ids.
        var groupIDs: [String: String] = [:]
        let named = seed.groups + seed.people.flatMap(\.groups) + seed.generators.flatMap(\.groupNames)
        for name in named where groupIDs[name] == nil {
            let group = newGroup(name: name, directoryID: directoryID, organizationID: organizationID, now: now)
            groupIDs[name] = group.id
            groups.append(group)
        }
        for person in seed.people {
            users.append(
                newUser(
                    email: person.email, firstName: person.firstName, lastName: person.lastName,
                    state: person.state, groupIDs: person.groups.compactMap { groupIDs[$0] },
                    directoryID: directoryID, organizationID: organizationID, stamp: stamp, now: now))
        }
        for generator in seed.generators {
            generate(generator, groupIDs: groupIDs, directoryID: directoryID, organizationID: organizationID, now: now)
        }
    }

    /// People `person00001@domain`…: the same seed always yields the same people, groups and states.
    private mutating func generate(
        _ generator: WorkOSSeed.Generator, groupIDs: [String: String], directoryID: String, organizationID: String, now: Date
    ) {
        // YAML seeds are refused above the limit; a seed built in Swift is held to it here.
        let count = min(generator.count, SandboxLimits.seedGeneratedPeople)
        guard count > 0 else { return }
        let stamp = Timestamp.format(now)
        let width = max(5, String(count).count)
        users.reserveCapacity(users.count + count)
        for number in 1...count {
            var digits = String(number)
            if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
            let memberships: [String]
            switch generator.groups {
            case .roundRobin(let names):
                memberships = names.isEmpty ? [] : [names[(number - 1) % names.count]]
            case .fractions(let shares):
                memberships = shares.enumerated().compactMap { offset, share in
                    Self.spread(number, salt: offset + 1) < share.fraction ? share.name : nil
                }
            }
            let isInactive = Self.spread(number, salt: 0) < generator.inactive
            users.append(
                newUser(
                    email: "person\(digits)@\(generator.domain)", firstName: "Person", lastName: digits,
                    state: isInactive ? "inactive" : "active", groupIDs: memberships.compactMap { groupIDs[$0] },
                    directoryID: directoryID, organizationID: organizationID, stamp: stamp, now: now))
        }
    }

    /// A deterministic, well-mixed number in [0, 1) for person `number` (splitmix64 of number and salt).
    static func spread(_ number: Int, salt: Int) -> Double {
        var z =
            UInt64(truncatingIfNeeded: number) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: salt)
            &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    mutating func newGroup(name: String, directoryID: String, organizationID: String, now: Date) -> WorkOSGroup {
        let stamp = Timestamp.format(now)
        let id = ids.next("directory_group", at: now)
        return WorkOSGroup(
            id: id, idpID: "00g" + id.suffix(17).lowercased(), directoryID: directoryID, organizationID: organizationID,
            name: name, createdAt: stamp, updatedAt: stamp)
    }

    mutating func newUser(
        email: String, firstName: String, lastName: String, state: String, groupIDs: [String], directoryID: String,
        organizationID: String, stamp: String, now: Date
    ) -> WorkOSUser {
        let id = ids.next("directory_user", at: now)
        return WorkOSUser(
            id: id, idpID: "00u" + id.suffix(17).lowercased(), directoryID: directoryID, organizationID: organizationID,
            email: email, firstName: firstName, lastName: lastName, state: state, groupIDs: groupIDs, createdAt: stamp,
            updatedAt: stamp)
    }

    static func externalKey(_ directoryID: String) -> String {
        String(directoryID.suffix(16)).lowercased()
    }
}
