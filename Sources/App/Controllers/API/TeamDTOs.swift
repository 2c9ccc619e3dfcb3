import CAFCore
import Foundation

// The JSON API's shapes for the team around the child. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct FamilyMemberRequest: Decodable {
    let name: String
    let relationship: String
}

struct FamilyMemberDTO: Encodable {
    let id: UUID
    let name: String
    let relationship: String
    let addedAt: Date

    init(_ member: FamilyMember) {
        id = member.id!
        name = member.name
        relationship = member.relationship
        addedAt = member.addedAt
    }
}

struct MeetingRequest: Decodable {
    let scheduledAt: Date
    let place: String
    /// Practitioner and family-member ids from the team; everyone on the team when omitted.
    let invitees: [UUID]?
}

struct MeetingDTO: Encodable {
    struct Invitation: Encodable {
        let id: UUID
        let name: String
        let practitionerId: UUID?
        let familyMemberId: UUID?
        let agencyType: AgencyType?
        let attendance: Attendance
    }
    let id: UUID
    let episodeId: UUID
    let scheduledAt: Date
    let place: String
    let held: Bool
    let minutes: String
    let decisions: String
    let invitations: [Invitation]
    /// Named in `If-Match` (as `"3"`) to record the meeting.
    let version: Int

    init(_ meeting: TACMeeting, shield: Shield) {
        id = meeting.id!
        episodeId = meeting.$episode.id
        scheduledAt = meeting.scheduledAt
        place = shield.text(meeting.place)
        held = meeting.held
        minutes = meeting.minutes
        decisions = meeting.decisions
        version = meeting.version
        invitations = meeting.invitations.map {
            Invitation(
                id: $0.id!, name: $0.name, practitionerId: $0.$practitioner.id, familyMemberId: $0.$familyMember.id,
                agencyType: $0.agencyType, attendance: $0.attendance)
        }
    }
}

struct AttendanceRequest: Decodable {
    struct Entry: Decodable {
        let invitationId: UUID
        let attendance: Attendance
    }
    let attendance: [Entry]
    let minutes: String?
    let decisions: String?

    var record: MeetingRecord {
        MeetingRecord(
            attendance: Dictionary(attendance.map { ($0.invitationId, $0.attendance) }, uniquingKeysWith: { _, last in last }),
            minutes: minutes ?? "", decisions: decisions ?? "")
    }
}

struct LeadProfessionalRequest: Decodable {
    let practitionerEmail: String
    let basis: LeadProfessionalBasis
    let meetingId: UUID?
    let handoverNote: String?
}

struct LeadProfessionalTermDTO: Encodable {
    let id: UUID
    let practitioner: ContactDTO?
    let practitionerId: UUID
    let organisation: String
    let agencyType: AgencyType
    let basis: LeadProfessionalBasis
    let meetingId: UUID?
    let handoverNote: String
    let startedAt: Date
    let endedAt: Date?

    init(_ term: LeadProfessionalTerm, shield: Shield) {
        id = term.id!
        practitioner = term.$practitioner.value.map { ContactDTO($0, shield: shield) }
        practitionerId = term.$practitioner.id
        organisation = shield.text(term.organisation)
        agencyType = term.agencyType
        basis = term.basis
        meetingId = term.$meeting.id
        handoverNote = term.handoverNote
        startedAt = term.startedAt
        endedAt = term.endedAt
    }
}

struct TeamDTO: Encodable {
    let episodeId: UUID
    /// Sent back quoted as `If-Match` with a change of lead, consent or team.
    let teamVersion: Int
    let practitioners: [ContactDTO]
    let familyMembers: [FamilyMemberDTO]
    let meetings: [MeetingDTO]
    let leadProfessionals: [LeadProfessionalTermDTO]
}
