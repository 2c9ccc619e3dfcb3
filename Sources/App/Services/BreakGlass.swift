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
        return try await db.writeTransaction { db in
            let grant = BreakGlassGrant(episode: authorised.episode, practitionerID: signedIn.id, reason: why, lasting: duration)
            try await grant.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .breakGlass, child: authorised.child.id, episode: episodeID,
                detail: "reason=\(Audit.typed(why))")
            return grant
        }
    }
}
