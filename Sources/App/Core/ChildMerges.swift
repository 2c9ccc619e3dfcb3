import CAFCore
import Fluent
import Foundation
import SQLKit

/// Merging two index records of one child. Everything the duplicate holds moves to the record
/// that stays: names (its current name becomes a previous one), episodes, checklists,
/// safeguarding calls, consent refusals, addresses, involvements and shield overrides;
/// identifiers and whereabouts the survivor lacks are taken over. The duplicate's row stays,
/// pointing at the survivor, so old links lead on and its audit events (never rewritten) join
/// the survivor's trail.
enum ChildMerges {
    /// Every table whose rows belong to a child, besides the index's names and the audit log.
    static let childTables = [
        "episodes", "pre_assessments", "safeguarding_calls", "consent_refusals", "child_addresses", "child_involvements",
        "shield_overrides", "name_proposals", "decisions_not_to_share",
    ]

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
        for child in [survivor, duplicate]
        where !AccessPolicy.mayMergeChildren(signedIn.actor, childLocalAuthorityID: child.$localAuthority.id) {
            try await Audit.record(on: db, by: signedIn, .mergeChildren, child: child.id, outcome: .denied)
            throw AppError.forbidden("Only a coordinator of both children’s local authority can merge their records.")
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
        return try await db.transaction { db in
            try await moveNames(of: duplicate, to: survivor, on: db)
            let sql = db as! any SQLDatabase
            for table in childTables {
                try await sql.update(table).set("child_id", to: survivorID).where("child_id", .equal, duplicateID).run()
            }
            survivor.nhsNumber = survivor.nhsNumber ?? duplicate.nhsNumber
            survivor.upn = survivor.upn ?? duplicate.upn
            survivor.gender = survivor.gender ?? duplicate.gender
            if survivor.postcode == nil { survivor.setPostcode(duplicate.postcode) }
            survivor.address = survivor.address ?? duplicate.address
            survivor.school = survivor.school ?? duplicate.school
            survivor.gpPractice = survivor.gpPractice ?? duplicate.gpPractice
            survivor.contactPhone = survivor.contactPhone ?? duplicate.contactPhone
            // Shielding protects someone; merging must never lift it.
            survivor.shielded = survivor.shielded || duplicate.shielded
            try await survivor.save(on: db)
            duplicate.$mergedInto.id = survivorID
            duplicate.mergedAt = Date()
            duplicate.$mergedBy.id = signedIn.id
            try await duplicate.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .mergeChildren, child: survivorID, detail: "merged=\(duplicateID.uuidString) reason=\(why)")
            return survivor
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
