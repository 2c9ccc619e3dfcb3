import CAFCore
import Fluent
import Foundation

/// A family member on the team around the child, by name.
final class FamilyMember: Model, @unchecked Sendable {
    static let schema = "family_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Field(key: "name") var name: String
    @Field(key: "relationship") var relationship: String
    @Parent(key: "added_by_id") var addedBy: Practitioner
    @Field(key: "added_at") var addedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $episode, $name, $relationship, $addedBy, $addedAt] }
    init() {}
    init(episodeID: UUID, name: String, relationship: String, addedByID: UUID) {
        self.$episode.id = episodeID
        self.name = name
        self.relationship = relationship
        self.$addedBy.id = addedByID
        self.addedAt = Date()
    }
}

/// A team-around-the-child meeting: planned, then held with attendance, minutes and decisions.
final class TACMeeting: Model, @unchecked Sendable {
    static let schema = "tac_meetings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Field(key: "scheduled_at") var scheduledAt: Date
    @Field(key: "place") var place: String
    @Field(key: "held") var held: Bool
    @Field(key: "minutes") var minutes: String
    @Field(key: "decisions") var decisions: String
    @Parent(key: "created_by_id") var createdBy: Practitioner
    @OptionalField(key: "recorded_at") var recordedAt: Date?
    @Children(for: \.$meeting) var invitations: [TACInvitation]
    /// One more with each recording: a recording names the version it was made on.
    @Field(key: "version") var version: Int
    @OptionalParent(key: "updated_by_id") var updatedBy: Practitioner?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $episode, $scheduledAt, $place, $held, $minutes, $decisions, $createdBy, $recordedAt, $invitations, $version,
            $updatedBy, $updatedAt,
        ]
    }
    init() {}
    init(episodeID: UUID, plan: MeetingPlan, createdByID: UUID) {
        self.$episode.id = episodeID
        self.scheduledAt = plan.scheduledAt
        self.place = plan.place
        self.held = false
        self.minutes = ""
        self.decisions = ""
        self.$createdBy.id = createdByID
        self.version = 1
    }
}

/// One person invited to a TAC meeting, with their agency as it was then (a family member
/// has none), and whether they came.
final class TACInvitation: Model, @unchecked Sendable {
    static let schema = "tac_invitations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: TACMeeting
    @OptionalParent(key: "practitioner_id") var practitioner: Practitioner?
    @OptionalParent(key: "family_member_id") var familyMember: FamilyMember?
    @Field(key: "name") var name: String
    @OptionalEnum(key: "agency_type") var agencyType: AgencyType?
    @Enum(key: "attendance") var attendance: Attendance

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $meeting, $practitioner, $familyMember, $name, $agencyType, $attendance] }
    init() {}
    init(meetingID: UUID, practitioner: Practitioner) {
        self.$meeting.id = meetingID
        self.$practitioner.id = practitioner.id
        self.name = practitioner.name
        self.agencyType = practitioner.organisation?.agencyType
        self.attendance = .invited
    }

    init(meetingID: UUID, familyMember: FamilyMember) {
        self.$meeting.id = meetingID
        self.$familyMember.id = familyMember.id
        self.name = "\(familyMember.name) (\(familyMember.relationship))"
        self.agencyType = nil
        self.attendance = .invited
    }
}

/// One lead professional's time in the role; the open term (no end) is the current lead.
final class LeadProfessionalTerm: Model, @unchecked Sendable {
    static let schema = "lead_professional_terms"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Field(key: "organisation") var organisation: String
    @Enum(key: "agency_type") var agencyType: AgencyType
    @Enum(key: "basis") var basis: LeadProfessionalBasis
    @OptionalParent(key: "meeting_id") var meeting: TACMeeting?
    @Field(key: "handover_note") var handoverNote: String
    @Parent(key: "assigned_by_id") var assignedBy: Practitioner
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "ended_at") var endedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $episode, $practitioner, $organisation, $agencyType, $basis, $meeting, $handoverNote, $assignedBy, $startedAt,
            $endedAt,
        ]
    }
    init() {}
    init(
        episodeID: UUID, practitioner: Practitioner, change: LeadProfessionalChange, meetingID: UUID?, assignedByID: UUID,
        at date: Date
    ) {
        self.$episode.id = episodeID
        self.$practitioner.id = practitioner.id!
        self.organisation = practitioner.organisation?.name ?? ""
        self.agencyType = practitioner.organisation?.agencyType ?? .other
        self.basis = change.basis
        self.$meeting.id = meetingID
        self.handoverNote = change.handoverNote
        self.$assignedBy.id = assignedByID
        self.startedAt = date
    }
}
