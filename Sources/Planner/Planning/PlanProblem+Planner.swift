import Spec

/// The planner's errors and warnings, each with its stable code; the message text lives here only.
extension PlanProblem {
    // MARK: - Errors (the plan must not be applied)

    static func seatsExceeded(entitled: Int, seats: Int, file: String) -> PlanProblem {
        PlanProblem(
            code: "seats-exceeded",
            message: "\(entitled) people would be entitled but \(file) licenses \(seats) seats")
    }

    static func directoryReadFailed(_ why: String?) -> PlanProblem {
        PlanProblem(
            code: "directory-read-failed",
            message: "the directory could not be read completely" + (why.map { " (\($0))" } ?? "")
                + "; no removals are planned")
    }

    static func directoryEmpty(provisioned: Int) -> PlanProblem {
        PlanProblem(
            code: "directory-empty",
            message: "the directory returned nobody in the mapped groups while \(provisioned) people have access; "
                + "no removals are planned")
    }

    static func massRemoval(removals: Int, provisioned: Int, limit: RemovalLimit, threshold: Int) -> PlanProblem {
        PlanProblem(
            code: "mass-removal",
            message: "\(removals) of \(provisioned) provisioned people would lose all access, over the limit of "
                + "\(threshold) (max_removals \(limit)); applying needs --allow-mass-removal")
    }

    static func observationFailed(_ reason: String) -> PlanProblem {
        PlanProblem(code: "observation-failed", message: "reading the live systems failed: \(reason); nothing is planned")
    }

    static func notObserved(_ connection: String) -> PlanProblem {
        PlanProblem(code: "not-observed", message: "\(connection) was not read for this tenant; nothing is planned there")
    }

    static func courseMissing(_ slug: String) -> PlanProblem {
        PlanProblem(code: "course-missing", message: "course \(slug) does not exist on the Thinkific site")
    }

    // MARK: - Warnings

    static func ssoNotActive(provider: SSOProvider, expected: [String]) -> PlanProblem {
        PlanProblem(
            code: "sso-not-active",
            message: "no active \(expected.joined(separator: " or ")) SSO connection for sso.provider \(provider.rawValue)")
    }

    static func ssoUnexpectedType(provider: SSOProvider, found: String, expected: [String]) -> PlanProblem {
        PlanProblem(
            code: "sso-unexpected-type",
            message: "the active SSO connection is \(found), but sso.provider \(provider.rawValue) expects "
                + expected.joined(separator: " or "))
    }

    static func directoryNotLinked() -> PlanProblem {
        PlanProblem(
            code: "directory-not-linked",
            message: "directory: workos, but the organization has no linked directory; only roster people are in")
    }

    static func idpGroupMissing(_ group: String) -> PlanProblem {
        PlanProblem(
            code: "idp-group-missing",
            message: "IdP group \"\(group)\" does not exist in the directory (names are compared case-sensitively)")
    }

    /// Names the directory user by id and shows the address only masked (and cut short): it came from a server.
    static func directoryEmailInvalid(userID: String, email: String) -> PlanProblem {
        PlanProblem(
            code: "directory-email-invalid",
            message: "directory user \(Excerpt.quote(userID)) has an email that is not a valid address "
                + "(\(Excerpt.quote(EmailMask.mask(email), limit: 40))); they are left out of the plan "
                + "(fix the address in the client's IdP)")
    }

    static func directoryEmailMissing(userID: String) -> PlanProblem {
        PlanProblem(
            code: "directory-email-missing",
            message: "directory user \(Excerpt.quote(userID)) has no email; they are left out of the plan: nothing is "
                + "created for them and no one is matched to them (add an email in the client's IdP)")
    }

    static func removalKept(person: String, items: [String]) -> PlanProblem {
        PlanProblem(
            code: "removal-kept",
            message: "\(person) keeps \(items.joined(separator: ", ")) because removal is keep")
    }
}

extension ManualStep {
    static func configureSSO(tenant: String, reason: String) -> ManualStep {
        ManualStep(
            destination: .workos,
            description: "client IT: configure SSO in the Admin Portal (`stoicprov describe \(tenant) --portal-link sso`)",
            reason: reason)
    }

    static func linkDirectory(tenant: String) -> ManualStep {
        ManualStep(
            destination: .workos,
            description:
                "client IT: set up Directory Sync in the Admin Portal (`stoicprov describe \(tenant) --portal-link dsync`)",
            reason: "directory: workos")
    }

    static func removeFromThinkificGroup(email: String, group: String, reason: String) -> ManualStep {
        ManualStep(
            destination: .thinkific,
            description: "remove \(email) from Thinkific group \"\(group)\" (the API cannot)",
            reason: reason)
    }
}
