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
    /// `ChecklistAnswers` as JSON, and the reason for the decision: both sealed under the
    /// row's id, as they tell why someone worried about a child.
    @Field(key: "answers") var sealedAnswers: String
    @Enum(key: "decision") var decision: ChecklistDecision
    @Field(key: "reason") var sealedReason: String
    /// The open episode the checklist found (question 1), if any.
    @OptionalParent(key: "existing_episode_id") var existingEpisode: Episode?
    @Field(key: "recorded_at") var recordedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $child, $practitioner, $localAuthority, $sealedAnswers, $decision, $sealedReason, $existingEpisode, $recordedAt]
    }
    init() {}
    init(
        childID: UUID, practitionerID: UUID, localAuthorityID: UUID, answers: ChecklistAnswers, existingEpisodeID: UUID?,
        keys: SecretKeys
    ) throws {
        let id = UUID()
        self.id = id
        self.$child.id = childID
        self.$practitioner.id = practitionerID
        self.$localAuthority.id = localAuthorityID
        self.sealedAnswers = try SealedColumn.checklistAnswers.seal(
            String(decoding: try JSONEncoder().encode(answers), as: UTF8.self), row: id, keys: keys)
        self.decision = answers.decision
        self.sealedReason = try SealedColumn.checklistReason.seal(answers.reason, row: id, keys: keys)
        self.$existingEpisode.id = existingEpisodeID
        self.recordedAt = Date()
    }

    func answers(_ keys: SecretKeys) throws -> ChecklistAnswers {
        let json = try SealedColumn.checklistAnswers.open(sealedAnswers, row: try requireID(), keys: keys)
        return try JSONDecoder().decode(ChecklistAnswers.self, from: Data(json.utf8))
    }

    func reason(_ keys: SecretKeys) throws -> String {
        try SealedColumn.checklistReason.open(sealedReason, row: try requireID(), keys: keys)
    }
}
