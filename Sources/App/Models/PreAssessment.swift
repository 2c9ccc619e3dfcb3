import CAFCore
import Fluent
import Foundation

/// A completed pre-assessment checklist: the answers, the one decision and its reason.
final class PreAssessment: Model, @unchecked Sendable {
    static let schema = "pre_assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    /// The practitioner's LA: checklists count where the work was done.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    /// `ChecklistAnswers` as JSON.
    @Field(key: "answers") var answersJSON: String
    @Enum(key: "decision") var decision: ChecklistDecision
    @Field(key: "reason") var reason: String
    /// The open episode the checklist found (question 1), if any.
    @OptionalParent(key: "existing_episode_id") var existingEpisode: Episode?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
    init(childID: UUID, practitionerID: UUID, localAuthorityID: UUID, answers: ChecklistAnswers, existingEpisodeID: UUID?) throws
    {
        self.$child.id = childID
        self.$practitioner.id = practitionerID
        self.$localAuthority.id = localAuthorityID
        self.answersJSON = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
        self.decision = answers.decision
        self.reason = answers.reason
        self.$existingEpisode.id = existingEpisodeID
        self.recordedAt = Date()
    }

    func answers() throws -> ChecklistAnswers {
        try JSONDecoder().decode(ChecklistAnswers.self, from: Data(answersJSON.utf8))
    }
}
