import CAFCore
import Fluent
import Foundation
import SQLKit

/// Merging two index records of one child. What the duplicate holds moves to the record that
/// stays: names (its current name becomes a previous one), episodes, checklists, safeguarding
/// calls, consent refusals, involvements, name proposals and decisions not to share; identifiers
/// the survivor lacks are taken over. Whereabouts come over only as a whole, with their address
/// history, to a record that has none: a duplicate (perhaps planted) never moves the child
/// kept, nor writes a place into their history. Shield overrides stay on the duplicate, whose
/// whereabouts they opened. The duplicate's row stays, pointing at the survivor, so old links
/// lead on and its audit events (never rewritten) join the survivor's trail.
enum ChildMerges {
    /// Every table whose rows move to the record kept, besides the index's names.
    static let movedTables = [
        "episodes", "pre_assessments", "safeguarding_calls", "consent_refusals", "child_involvements", "name_proposals",
        "decisions_not_to_share",
    ]
    /// Tables whose rows stay on the merged record (addresses come over only with the whole
    /// whereabouts); with the names and the audit log, every table that belongs to a child.
    static let stayingTables = ["child_addresses", "shield_overrides"]

    static func merge(
        _ duplicateID: UUID, into survivorID: UUID, reason: String, by signedIn: SignedIn, on db: any Database
    ) async throws -> Child {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw AppError.invalid(field: "reason", "Say why these records are the same child") }
        guard why.count <= 1000 else { throw AppError.invalid(field: "reason", "The reason must be 1000 characters or fewer") }
        guard duplicateID != survivorID else {
            throw AppError.invalid(field: "duplicateId", "Choose another record: a record cannot be merged into itself")
        }
        let survivor = try await Child.live(survivorID, on: db)
        let duplicate = try await Child.live(duplicateID, on: db)
        for child in [survivor, duplicate] {
            try await Access.require(
                AccessPolicy.mayMergeChildren(signedIn.actor, childLocalAuthorityID: child.$localAuthority.id),
                else: "Only a coordinator of both children’s local authority can merge their records.", .mergeChildren,
                child: child.id, by: signedIn, on: db)
        }
        for (kept, other, name) in [
            (survivor.nhsNumber, duplicate.nhsNumber, "NHS numbers"), (survivor.upn, duplicate.upn, "Unique Pupil Numbers"),
        ] where kept != nil && other != nil && kept != other {
            throw AppError(
                status: .conflict, code: "different-identifiers",
                message: "These records have different \(name), so they are different children and cannot be merged")
        }
        let open = try await Episode.query(on: db).filter(\.$child.$id ~~ [survivorID, duplicateID])
            .filter(\.$status == .open).count()
        guard open < 2 else {
            throw AppError(
                status: .conflict, code: "two-open-episodes",
                message: "Both records have an open CAF. Close one of them, saying why, before merging the records")
        }
        return try await db.writeTransaction { db in
            let sql = db.sql
            // Each step that two requests could race on is one conditional UPDATE: of two merges
            // of one record at once, one wins (the other gets 410, as for any merged record).
            let claimed = try await sql.raw(
                """
                UPDATE children SET merged_into_id = \(bind: survivorID), merged_at = \(bind: Date()),
                    merged_by_id = \(bind: signedIn.id)
                WHERE id = \(bind: duplicateID) AND merged_into_id IS NULL RETURNING id
                """
            ).all()
            guard !claimed.isEmpty else { _ = try await Child.live(duplicateID, on: db); throw AppError.notFound("child") }
            // The record kept takes the duplicate's identifiers it lacks, and its shield, as both
            // rows stand now (never as read before: a shield set meanwhile must hold). Its
            // whereabouts move on a version, so a form opened before the merge saves nothing.
            let kept = try await sql.raw(
                """
                UPDATE children SET
                    nhs_number = COALESCE(nhs_number, (SELECT d.nhs_number FROM children d WHERE d.id = \(bind: duplicateID))),
                    upn = COALESCE(upn, (SELECT d.upn FROM children d WHERE d.id = \(bind: duplicateID))),
                    gender = COALESCE(gender, (SELECT d.gender FROM children d WHERE d.id = \(bind: duplicateID))),
                    shielded = (shielded OR (SELECT d.shielded FROM children d WHERE d.id = \(bind: duplicateID))),
                    whereabouts_version = whereabouts_version + 1, whereabouts_updated_by_id = \(bind: signedIn.id),
                    whereabouts_updated_at = \(bind: Date())
                WHERE id = \(bind: survivorID) AND merged_into_id IS NULL RETURNING id
                """
            ).all()
            guard !kept.isEmpty else { _ = try await Child.live(survivorID, on: db); throw AppError.notFound("child") }
            // Whereabouts come over whole, only to a record that still has none as the merge
            // commits, so a change made to it meanwhile is never overwritten.
            let takesWhereabouts = try await !sql.raw(
                """
                UPDATE children SET
                    address = (SELECT d.address FROM children d WHERE d.id = \(bind: duplicateID)),
                    postcode = (SELECT d.postcode FROM children d WHERE d.id = \(bind: duplicateID)),
                    postcode_district = (SELECT d.postcode_district FROM children d WHERE d.id = \(bind: duplicateID)),
                    school = (SELECT d.school FROM children d WHERE d.id = \(bind: duplicateID)),
                    gp_practice = (SELECT d.gp_practice FROM children d WHERE d.id = \(bind: duplicateID)),
                    contact_phone = (SELECT d.contact_phone FROM children d WHERE d.id = \(bind: duplicateID))
                WHERE id = \(bind: survivorID) AND address IS NULL AND postcode IS NULL AND school IS NULL
                    AND gp_practice IS NULL AND contact_phone IS NULL
                    AND EXISTS (
                        SELECT 1 FROM children d WHERE d.id = \(bind: duplicateID) AND (d.address IS NOT NULL
                            OR d.postcode IS NOT NULL OR d.school IS NOT NULL OR d.gp_practice IS NOT NULL
                            OR d.contact_phone IS NOT NULL))
                RETURNING id
                """
            ).all().isEmpty
            try await moveNames(of: duplicate, to: survivor, on: db)
            for table in movedTables + (takesWhereabouts ? ["child_addresses"] : []) {
                try await sql.update(table).set("child_id", to: survivorID).where("child_id", .equal, duplicateID).run()
            }
            let left = try await ChildAddress.query(on: db).filter(\.$child.$id == duplicateID).count()
            let overrides = try await ShieldOverride.query(on: db).filter(\.$child.$id == duplicateID).count()
            try await Audit.record(
                on: db, by: signedIn, .mergeChildren, child: survivorID,
                detail:
                    "merged=\(duplicateID.uuidString) whereabouts=\(takesWhereabouts ? "taken" : "kept") addresses-left=\(left) overrides-left=\(overrides) reason=\(Audit.typed(why))"
            )
            return try await Child.live(survivorID, on: db)
        }
    }

    /// The duplicate's names join the survivor's, its current name as a previous one, each
    /// dated with the survivor's birth date so searches by name and date still agree.
    private static func moveNames(of duplicate: Child, to survivor: Child, on db: any Database) async throws {
        for name in try await ChildName.query(on: db).filter(\.$child.$id == duplicate.id!).all() {
            name.$child.id = survivor.id!
            if name.kind == .current { name.kind = .previous }
            name.dateOfBirth = survivor.dateOfBirth
            try await name.save(on: db)
        }
    }
}
