/// Rules across tenants: ids, domains and roster emails each belong to one tenant. Reported at the later tenant
/// (in file order), with a note pointing at the first.
enum WorkspaceRules {
    static func check(_ drafts: [TenantDraft], diagnostics: inout Diagnostics) {
        var ids: [String: Tenant] = [:]
        var domains: [String: (tenant: String, location: SourceLocation)] = [:]
        var emails: [String: (tenant: String, location: SourceLocation)] = [:]
        for draft in drafts {
            let tenant = draft.tenant
            if draft.hasValidID {
                if let first = ids[tenant.id] {
                    diagnostics.append(.duplicateTenantID(tenant.id, firstFile: first.file, at: tenant.locations.tenant))
                    diagnostics.append(.firstDefinedHere("tenant '\(tenant.id)'", at: first.locations.tenant))
                } else {
                    ids[tenant.id] = tenant
                }
            }
            for (domain, location) in draft.domains {
                if let first = domains[domain], first.tenant != tenant.id {
                    diagnostics.append(.domainClaimedTwice(domain, first: first.tenant, at: location))
                    diagnostics.append(.firstDefinedHere("domain \(domain)", at: first.location))
                } else if domains[domain] == nil {
                    domains[domain] = (tenant.id, location)
                }
            }
            var seenHere: Set<String> = []
            for entry in tenant.rosterEntries where seenHere.insert(entry.email).inserted {
                if let first = emails[entry.email], first.tenant != tenant.id {
                    diagnostics.append(.emailClaimedTwice(entry.email, first: first.tenant, at: entry.location))
                    diagnostics.append(.firstDefinedHere(entry.email, at: first.location))
                } else if emails[entry.email] == nil {
                    emails[entry.email] = (tenant.id, entry.location)
                }
            }
        }
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func duplicateTenantID(_ id: String, firstFile: String, at location: SourceLocation) -> Diagnostic {
        .error("duplicate-tenant-id", "tenant id '\(id)' is already used by \(firstFile)", at: location)
    }

    static func domainClaimedTwice(_ domain: String, first: String, at location: SourceLocation) -> Diagnostic {
        .error("domain-claimed-twice", "domain \(domain) is already claimed by tenant '\(first)'", at: location)
    }

    static func emailClaimedTwice(_ email: String, first: String, at location: SourceLocation) -> Diagnostic {
        .error("email-claimed-twice", "\(email) is already on a roster of tenant '\(first)'", at: location)
    }

    static func firstDefinedHere(_ what: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.note, code: "first-claim", "\(what) first claimed here", at: location)
    }
}
