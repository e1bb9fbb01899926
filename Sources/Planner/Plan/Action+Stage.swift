extension Action {
    /// Where the action falls in a tenant's run (DESIGN §7): organization → users → groups → memberships →
    /// enrollments → updates → removals. The one ranking: the planner orders a destination's changes by it, and the
    /// executor runs ready changes lowest stage first.
    public var stage: Int {
        switch self {
        case .createOrganization, .updateOrganization: 0
        case .createThinkificUser, .createSCIMUser: 1
        case .createThinkificGroup, .createSCIMGroup: 2
        case .addToThinkificGroups, .addSCIMMember: 3
        case .enroll: 4
        case .updateThinkificUser, .recordThinkificSignIn, .updateEnrollment, .updateSCIMUser: 5
        case .expireEnrollment, .deactivateSCIMUser, .deleteSCIMUser, .removeSCIMMember: 6
        }
    }
}
