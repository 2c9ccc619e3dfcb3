import CAFCore
import Fluent
import Vapor

/// Emergency access: read one episode now, for a stated reason, for a few hours; the LA's
/// coordinators see it at once on their review queue.
enum BreakGlass {
    static let duration: TimeInterval = 4 * 3600

    static func take(_ episodeID: UUID, reason: String, by signedIn: SignedIn, on db: any Database) async throws
        -> BreakGlassGrant
    {
        let authorised = try await Access.episode(episodeID, .breakGlass, by: signedIn, on: db)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard why.count >= 10, why.count <= 2_000 else {
            throw AppError.invalid(field: "reason", "Say why this is an emergency, in a sentence or two")
        }
        return try await db.transaction { db in
            let grant = BreakGlassGrant(episode: authorised.episode, practitionerID: signedIn.id, reason: why, lasting: duration)
            try await grant.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .breakGlass, child: authorised.child.id, episode: episodeID, detail: "reason=\(why)")
            return grant
        }
    }

    /// Grants not yet reviewed, for the coordinator of their LA.
    static func queue(for signedIn: SignedIn, on db: any Database) async throws -> [BreakGlassGrant] {
        guard let la = AccessPolicy.coordinatedAuthority(signedIn.actor) else { return [] }
        let grants = try await BreakGlassGrant.query(on: db).filter(\.$localAuthority.$id == la).filter(\.$reviewedAt == nil)
            .with(\.$practitioner) { $0.with(\.$organisation) }.with(\.$episode) { $0.with(\.$child) }
            .sort(\.$grantedAt).all()
        try await Audit.queueRead("break-glass", children: grants.map(\.episode.$child.id), by: signedIn, on: db)
        return grants
    }

    static func find(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> BreakGlassGrant {
        let query = BreakGlassGrant.query(on: db).filter(\.$id == id).with(\.$practitioner) { $0.with(\.$organisation) }
            .with(\.$episode) { $0.with(\.$child) }
        guard let grant = try await query.first() else { throw AppError.notFound("break-glass grant") }
        guard AccessPolicy.mayReviewBreakGlass(signedIn.actor, localAuthorityID: grant.$localAuthority.id) else {
            try await Audit.record(
                on: db, by: signedIn, .reviewBreakGlass, episode: grant.$episode.id, outcome: .denied, detail: "grant=\(id)")
            throw AppError.forbidden("Only the coordinators of the episode’s local authority review break-glass access.")
        }
        return grant
    }

    static func review(_ id: UUID, note: String, by signedIn: SignedIn, on db: any Database) async throws -> BreakGlassGrant {
        let grant = try await find(id, by: signedIn, on: db)
        guard grant.reviewedAt == nil else {
            throw AppError(
                status: .conflict, code: "already-reviewed", message: "This break-glass access has already been reviewed")
        }
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AppError.invalid(field: "note", "Record what the review found")
        }
        return try await db.transaction { db in
            grant.$reviewedBy.id = signedIn.id
            grant.reviewedAt = Date()
            grant.reviewNote = note
            try await grant.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .reviewBreakGlass, child: grant.episode.$child.id, episode: grant.$episode.id,
                detail: "grant=\(id)")
            return grant
        }
    }
}
