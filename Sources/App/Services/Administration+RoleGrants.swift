import CAFCore
import Fluent
import SQLKit
import Vapor

extension Administration {
    /// Puts roles on the queue for a second administrator; an earlier request for the same
    /// account that nobody decided is replaced (refused, with a note saying so).
    static func requestRoles(
        _ roles: Set<Role>, for practitioner: Practitioner, in la: UUID, by signedIn: SignedIn, on db: any Database
    ) async throws {
        try await withdrawPendingGrants(for: practitioner, note: "Replaced by a later request", on: db)
        do {
            try await RoleGrant(practitionerID: practitioner.id!, localAuthorityID: la, roles: roles, requestedBy: signedIn.id)
                .create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // One pending grant an account (a unique index): another request won the race.
            throw AppError(
                status: .conflict, code: "request-in-progress",
                message: "Someone else is asking for roles for this account at the same moment: look again and retry")
        }
        try await Audit.record(
            on: db, by: signedIn, .administerAccounts,
            detail: "\(Audit.typed(practitioner.email)): roles \(roles.storage) asked for, awaiting a second administrator")
    }

    /// A pending grant the account no longer stands for is closed, with why.
    static func withdrawPendingGrants(for practitioner: Practitioner, note: String, on db: any Database) async throws {
        try await RoleGrant.query(on: db).filter(\.$practitioner.$id == practitioner.id!).filter(\.$decision == .pending)
            .set(\.$decision, to: .refused).set(\.$decidedAt, to: Date()).set(\.$note, to: note).update()
    }

    /// Enabled accounts of the LA that hold la-admin.
    static func enabledAdministrators(in la: UUID, on db: any Database) async throws -> Int {
        try await Practitioner.enabled(in: la, holdingAnyOf: [.laAdmin], on: db)
            .filter { AccessPolicy.isAdministrator($0.roles) }.count
    }

    /// The roles each account of the LA waits for, by account.
    static func pendingRoles(in la: UUID, on db: any Database) async throws -> [UUID: Set<Role>] {
        let grants = try await RoleGrant.query(on: db).filter(\.$localAuthority.$id == la).filter(\.$decision == .pending).all()
        return Dictionary(grants.map { ($0.$practitioner.id, $0.roles) }, uniquingKeysWith: { $1 })
    }

    /// The roles one account waits for (none when nothing waits).
    static func pendingRoles(of practitioner: Practitioner, on db: any Database) async throws -> Set<Role> {
        try await RoleGrant.query(on: db).filter(\.$practitioner.$id == practitioner.requireID())
            .filter(\.$decision == .pending).first()?.roles ?? []
    }

    /// The LA's role grants awaiting a second administrator, oldest first.
    static func roleGrants(by signedIn: SignedIn, on db: any Database) async throws -> [RoleGrant] {
        let la = try await authority(of: signedIn, on: db)
        return try await RoleGrant.query(on: db).filter(\.$localAuthority.$id == la).filter(\.$decision == .pending)
            .with(\.$practitioner).with(\.$requestedBy).sort(\.$requestedAt).all()
    }

    /// A second administrator approves (the account then holds the roles asked for) or
    /// refuses. Decided once: the decision is one conditional UPDATE, so two administrators
    /// deciding at once cannot both win.
    static func decideRoleGrant(_ id: UUID, approve: Bool, note: String, by signedIn: SignedIn, on db: any Database)
        async throws -> RoleGrant
    {
        let la = try await authority(of: signedIn, on: db)
        guard
            let grant = try await RoleGrant.query(on: db).filter(\.$id == id).filter(\.$localAuthority.$id == la)
                .with(\.$practitioner).with(\.$requestedBy).first()
        else { throw AppError.notFound("role grant in your local authority") }
        try await Access.require(
            Access.mayDecide(grant, by: signedIn),
            else:
                "A second administrator decides: not the one who asked for these roles, nor the person who would hold them.",
            .administerAccounts, detail: "decide role grant \(id)", by: signedIn, on: db)
        if approve, let problem = AccessPolicy.rolesProblem(grant.roles) { throw AppError.invalid([problem]) }
        // Until the holder has chosen their own password from the link only they receive,
        // nobody can be sure who will hold these roles.
        if approve, grant.practitioner.passwordSetAt == nil {
            throw AppError(
                status: .conflict, code: "holder-not-ready",
                message: "\(grant.practitioner.name) has not yet set up the account: approve once they have chosen a password")
        }
        return try await db.writeTransaction { db in
            // An approval may remove an administrator: the LA first (`holdAdministrators`), then
            // the account, as every change to it holds it, then its grant.
            if approve { try await holdAdministrators(of: la, on: db) }
            try await StateChange.lock(Practitioner.schema, id: grant.$practitioner.id, on: db)
            let decision: RoleGrant.Decision = approve ? .approved : .refused
            // Only a pending grant changes, and the UPDATE says whether it changed it: of two
            // decisions at once, even by the same administrator, exactly one wins.
            let decided = try await db.sql.raw(
                """
                UPDATE role_grants SET decision = \(bind: decision.rawValue), decided_by_id = \(bind: signedIn.id),
                    decided_at = \(bind: Date()), note = \(bind: note)
                WHERE id = \(bind: id) AND decision = 'pending' RETURNING id
                """
            ).all()
            guard !decided.isEmpty else {
                throw AppError(status: .conflict, code: "already-decided", message: "These roles were already decided")
            }
            guard let practitioner = try await Practitioner.find(grant.$practitioner.id, on: db) else {
                throw AppError.notFound("practitioner in your local authority")
            }
            if approve {
                if AccessPolicy.isAdministrator(practitioner.roles) && !practitioner.disabled
                    && !AccessPolicy.isAdministrator(grant.roles)
                {
                    try await requireTwoAdministrators(in: la, field: "decision", on: db)
                }
                practitioner.roleStorage = grant.roles.storage
                (practitioner.version, practitioner.$updatedBy.id) = (practitioner.version + 1, signedIn.id)
                practitioner.updatedAt = Date()
                try await practitioner.save(on: db)
            }
            try await Audit.record(
                on: db, by: signedIn, .administerAccounts,
                detail: "\(Audit.typed(practitioner.email)): roles \(grant.roles.storage) \(decision.rawValue)")
            return try await RoleGrant.query(on: db).filter(\.$id == id).with(\.$practitioner).with(\.$requestedBy).first()!
        }
    }
}
