import CAFCore
import Fluent
import Foundation

/// A call to children's social care about a child, and its written follow-up.
final class SafeguardingCall: Model, @unchecked Sendable {
    static let schema = "safeguarding_calls"

    @ID(key: .id) var id: UUID?
    @Parent(key: "child_id") var child: Child
    @OptionalParent(key: "episode_id") var episode: Episode?
    @OptionalParent(key: "pre_assessment_id") var preAssessment: PreAssessment?
    @Parent(key: "caller_id") var caller: Practitioner
    /// The LA whose children's social care was called: the child's.
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Field(key: "called_at") var calledAt: Date
    @Field(key: "spoke_to") var spokeTo: String
    @Enum(key: "advice") var advice: SafeguardingAdvice
    @Field(key: "advice_note") var adviceNote: String
    @Field(key: "reference") var reference: String
    @Field(key: "follow_up_due") var followUpDue: Date
    @OptionalField(key: "follow_up_sent_at") var followUpSentAt: Date?
    @Field(key: "recorded_at") var recordedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $child, $episode, $preAssessment, $caller, $localAuthority, $calledAt, $spokeTo, $advice, $adviceNote,
            $reference, $followUpDue, $followUpSentAt, $recordedAt,
        ]
    }
    init() {}
    init(
        _ record: SafeguardingCallRecord, childID: UUID, episodeID: UUID?, preAssessmentID: UUID?, callerID: UUID,
        localAuthority: LocalAuthority
    ) {
        self.$child.id = childID
        self.$episode.id = episodeID
        self.$preAssessment.id = preAssessmentID
        self.$caller.id = callerID
        self.$localAuthority.id = localAuthority.id!
        self.calledAt = record.calledAt
        self.spokeTo = record.spokeTo
        self.advice = record.advice
        self.adviceNote = record.adviceNote
        self.reference = record.reference
        self.followUpDue = record.followUpDue(hours: localAuthority.followUpHours)
        self.recordedAt = Date()
    }

    func followUpState(now: Date = Date()) -> FollowUp.State {
        FollowUp.state(due: followUpDue, sentAt: followUpSentAt, now: now)
    }
}
