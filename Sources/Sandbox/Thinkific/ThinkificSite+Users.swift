import Foundation

extension ThinkificSite {
    static let roles: Set<String> = ["affiliate", "course_admin", "group_analyst", "site_admin"]
    static let minimumPasswordLength = 6

    /// `GET /users`: `query[email]` (exact, case-insensitive, via the email index), `query[group_id]` (the
    /// group's member list), `query[role]`, `query[external_source]`; id order.
    func listUsers(_ request: HTTPRequest) -> ThinkificReply {
        let page = ThinkificPageRequest(request)
        let role = filter(request, "query[role]")
        let externalSource = filter(request, "query[external_source]")
        let matches: (ThinkificUser) -> Bool = { user in
            (role.map { user.roles.contains($0) } ?? true) && (externalSource.map { user.externalSource == $0 } ?? true)
        }
        var candidates: [Int]?
        if let email = filter(request, "query[email]") {
            candidates = user(email: email).map { [$0.id] } ?? []
        }
        if let groupText = filter(request, "query[group_id]") {
            let members = ThinkificValue.int(groupText).flatMap { groupMembers[$0] } ?? []
            candidates = candidates.map { ids in ids.filter { members.containsSorted($0) } } ?? members
        }
        if let candidates {
            return .users(page.filter(candidates.lazy.compactMap { users.record($0) }, matches))
        }
        if role == nil, externalSource == nil {
            return .users(page.slice(users))
        }
        return .users(page.filter(users, matches))
    }

    /// `POST /users` → 201 with the user; 422 field errors for blank names, a bad or taken email, a short password.
    mutating func createUser(_ request: HTTPRequest, now: Date) -> ThinkificReply {
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        var errors: [ThinkificFieldError] = []
        let firstName = ThinkificValue.text(body["first_name"])
        let lastName = ThinkificValue.text(body["last_name"])
        let email = ThinkificValue.text(body["email"])
        if firstName == nil { errors.append(ThinkificFieldError(field: "first_name", messages: [ThinkificMessage.blank])) }
        if lastName == nil { errors.append(ThinkificFieldError(field: "last_name", messages: [ThinkificMessage.blank])) }
        if let error = emailError(email, excluding: nil) { errors.append(error) }
        errors += commonErrors(body)
        guard errors.isEmpty, let firstName, let lastName, let email else { return .failure(.fieldErrors(errors)) }

        var user = ThinkificUser(
            id: nextUserID, createdAt: now, firstName: firstName, lastName: lastName, email: email, roles: [])
        apply(body, to: &user)
        if let externalID = ThinkificValue.text(body["external_id"]) {
            user.externalID = externalID
            user.provider = ThinkificValue.text(body["provider"]) ?? "SSO"
        }
        addUser(user)
        return .user(user, status: 201)
    }

    /// `GET /users/{id}`, or `/users/{external_id}?provider=SSO|OPENID_CONNECT`.
    func getUser(_ id: String, _ request: HTTPRequest) -> ThinkificReply {
        lookUpUser(id, request).map { .user($0, status: 200) } ?? .failure(.recordNotFound)
    }

    /// `PUT /users/{id}` → 204; any field may change, the email included (a taken email is a 422).
    mutating func updateUser(_ id: String, _ request: HTTPRequest) -> ThinkificReply {
        guard var user = lookUpUser(id, request) else { return .failure(.recordNotFound) }
        guard let body = ThinkificValue.object(request.body) else { return .failure(.malformedBody) }
        var errors: [ThinkificFieldError] = []
        for field in ["first_name", "last_name"] where body[field] != nil && ThinkificValue.text(body[field]) == nil {
            errors.append(ThinkificFieldError(field: field, messages: [ThinkificMessage.blank]))
        }
        let email = body["email"] == nil ? nil : ThinkificValue.text(body["email"])
        if body["email"] != nil, let error = emailError(email, excluding: user.id) { errors.append(error) }
        errors += commonErrors(body)
        guard errors.isEmpty else { return .failure(.fieldErrors(errors)) }

        if let firstName = ThinkificValue.text(body["first_name"]) { user.firstName = firstName }
        if let lastName = ThinkificValue.text(body["last_name"]) { user.lastName = lastName }
        if let email { user.email = email }
        if body["avatar_url"] != nil { user.avatarURL = ThinkificValue.text(body["avatar_url"]) }
        if body["external_source"] != nil { user.externalSource = ThinkificValue.text(body["external_source"]) }
        apply(body, to: &user)
        replaceUser(user)
        return .empty(204)
    }

    /// `DELETE /users/{id}` → 204. Group memberships and analyst seats go with the user; enrollments stay.
    mutating func deleteUser(_ id: String, _ request: HTTPRequest) -> ThinkificReply {
        guard let user = lookUpUser(id, request) else { return .failure(.recordNotFound) }
        removeUser(user.id)
        return .empty(204)
    }

    // MARK: - Helpers

    private func lookUpUser(_ id: String, _ request: HTTPRequest) -> ThinkificUser? {
        if let provider = filter(request, "provider") {
            let externalID = id.removingPercentEncoding ?? id
            return users.first { $0.externalID == externalID && $0.provider?.uppercased() == provider.uppercased() }
        }
        return ThinkificValue.int(id).flatMap { users.record($0) }
    }

    private func emailError(_ email: String?, excluding userID: Int?) -> ThinkificFieldError? {
        guard let email else { return ThinkificFieldError(field: "email", messages: [ThinkificMessage.blank]) }
        guard ThinkificValue.isEmail(email) else {
            return ThinkificFieldError(field: "email", messages: [ThinkificMessage.invalid])
        }
        if let existing = user(email: email), existing.id != userID {
            return ThinkificFieldError(field: "email", messages: [ThinkificMessage.taken])
        }
        return nil
    }

    /// Checks of the fields create and update share: password length, roles.
    private func commonErrors(_ body: [String: Any]) -> [ThinkificFieldError] {
        var errors: [ThinkificFieldError] = []
        if let password = body["password"], !(password is NSNull) {
            if ((password as? String)?.count ?? 0) < Self.minimumPasswordLength {
                errors.append(
                    ThinkificFieldError(
                        field: "password", messages: [ThinkificMessage.tooShort(minimum: Self.minimumPasswordLength)]))
            }
        }
        if let roles = body["roles"], !(roles is NSNull) {
            if (roles as? [String])?.allSatisfy(Self.roles.contains) != true {
                errors.append(ThinkificFieldError(field: "roles", messages: [ThinkificMessage.invalid]))
            }
        }
        return errors
    }

    /// Copies the optional profile fields present in `body` (JSON `null` clears one). Passwords are never stored.
    private func apply(_ body: [String: Any], to user: inout ThinkificUser) {
        if let roles = body["roles"] as? [String] { user.roles = roles }
        if body["roles"] is NSNull { user.roles = [] }
        if body["company"] != nil { user.company = ThinkificValue.text(body["company"]) }
        if body["bio"] != nil { user.bio = ThinkificValue.text(body["bio"]) }
        if body["headline"] != nil { user.headline = ThinkificValue.text(body["headline"]) }
        if body["affiliate_code"] != nil { user.affiliateCode = ThinkificValue.text(body["affiliate_code"]) }
        if body["affiliate_commission"] != nil {
            user.affiliateCommission = (body["affiliate_commission"] as? NSNumber)?.doubleValue
        }
        if body["affiliate_commission_type"] != nil {
            user.affiliateCommissionType = ThinkificValue.text(body["affiliate_commission_type"])
        }
        if body["affiliate_payout_email"] != nil {
            user.affiliatePayoutEmail = ThinkificValue.text(body["affiliate_payout_email"])
        }
    }
}
