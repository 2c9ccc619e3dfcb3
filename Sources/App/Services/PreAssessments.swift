import CAFCore
import Fluent
import Vapor

/// The pre-assessment checklist: one recorded decision, with the open episode it found.
enum PreAssessments {
    static func record(
        childID: UUID, answers: ChecklistAnswers, by signedIn: SignedIn, keys: SecretKeys, on db: any Database
    ) async throws -> PreAssessment {
        try await Access.requireIndex(.recordPreAssessment, child: childID, by: signedIn, on: db)
        _ = try await Child.live(childID, on: db)
        let problems = answers.problems()
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard let localAuthority = signedIn.actor.localAuthorityID else {
            try await Access.refuse(
                "Only staff of a local authority’s organisations can complete a checklist.", .recordPreAssessment,
                child: childID, detail: "no-la", by: signedIn, on: db)
        }
        let existing = try await openEpisode(of: childID, on: db)
        return try await db.writeTransaction { db in
            let checklist = try PreAssessment(
                childID: childID, practitionerID: signedIn.id, localAuthorityID: localAuthority, answers: answers,
                existingEpisodeID: existing?.id, keys: keys)
            try await checklist.create(on: db)
            try await Audit.record(
                on: db, by: signedIn, .recordPreAssessment, child: childID, episode: existing?.id,
                detail: "decision=\(checklist.decision.rawValue)")
            return checklist
        }
    }

    /// Question 1: the child's open CAF episode, with whom to contact about it.
    static func openEpisode(of childID: UUID, on db: any Database) async throws -> Episode? {
        try await Episode.withTeam(on: db).filter(\.$child.$id == childID).filter(\.$status == .open).first()
    }
}
