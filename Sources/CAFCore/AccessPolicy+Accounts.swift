import Foundation

extension AccessPolicy {
    /// Separation of duties: the service desk never works with children's records, so an
    /// account holds la-admin alone or other roles alone, never both, whoever asks and for
    /// whichever account, an administrator's own included.
    public static func rolesProblem(_ roles: Set<Role>) -> FieldProblem? {
        guard roles.contains(.laAdmin), roles.count > 1 else { return nil }
        return FieldProblem(
            field: "roles",
            message: "An LA administrator holds no other role: give case or analyst roles to a separate account")
    }

    /// Separation of duties: an account holding la-admin beside other roles (which no write
    /// allows, `rolesProblem`) acts as an administrator only.
    public static func effectiveRoles(_ roles: Set<Role>) -> Set<Role> {
        roles.contains(.laAdmin) ? [.laAdmin] : roles
    }

    /// Roles one administrator cannot grant alone: coordinator and safeguarding open every
    /// child's record in the LA, a manager every record their organisation's staff work on,
    /// and a second la-admin could approve the first one's grants.
    public static let rolesNeedingSecondApproval: Set<Role> = [.coordinator, .safeguarding, .manager, .laAdmin]

    /// Whether a change would leave the LA fewer than two enabled administrators, so that no
    /// one could approve a grant: refused, whoever asks.
    public static func leavesTooFewAdministrators(enabledAdministrators: Int, removesOne: Bool) -> Bool {
        removesOne && enabledAdministrators - 1 < 2
    }

    /// The roles a change would newly grant that wait for a second administrator.
    public static func rolesNeedingApproval(from current: Set<Role>, to requested: Set<Role>) -> Set<Role> {
        requested.subtracting(current).intersection(rolesNeedingSecondApproval)
    }

    /// A grant is decided by another administrator of the same LA: never the one who asked
    /// for it, nor the person who would hold the roles.
    public static func mayDecideRoleGrant(_ actor: Actor, localAuthorityID: UUID, requestedBy: UUID, holder: UUID) -> Bool {
        mayAdminister(actor, localAuthorityID: localAuthorityID) && actor.id != requestedBy && actor.id != holder
    }

    /// LA administrators manage the accounts and organisations of their own LA only, and
    /// never read case content (they hold no other role).
    public static func mayAdminister(_ actor: Actor, localAuthorityID: UUID) -> Bool {
        actor.roles.contains(.laAdmin) && actor.localAuthorityID == localAuthorityID
    }

    /// Holds la-admin: counted so an LA always keeps two, and sent to the accounts page.
    public static func isAdministrator(_ roles: Set<Role>) -> Bool { roles.contains(.laAdmin) }

    /// Works with children's cases, so may join a team or lead one.
    public static func worksWithCases(_ roles: Set<Role>) -> Bool { roles.contains(where: \.worksWithCases) }

    /// Coordinates an LA's early help: told of its shielded children and of sign-in bursts
    /// against its staff.
    public static func isCoordinator(_ roles: Set<Role>) -> Bool { roles.contains(.coordinator) }
}
