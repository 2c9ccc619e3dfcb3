import CAFCore
import Foundation

// The JSON API's shapes for checklists and safeguarding calls. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct PreAssessmentRequest: Decodable {
    let harmConcern: Bool
    let worriedOutcomes: [ECMOutcome]?
    let familyAskedForHelp: Bool?
    let ownServiceCanMeet: Bool?
    let needsUnclearOrBroad: Bool?
    let reason: String?

    var answers: ChecklistAnswers {
        ChecklistAnswers(
            harmConcern: harmConcern, worriedOutcomes: Set(worriedOutcomes ?? []), familyAskedForHelp: familyAskedForHelp,
            ownServiceCanMeet: ownServiceCanMeet, needsUnclearOrBroad: needsUnclearOrBroad, reason: reason ?? "")
    }
}

struct PreAssessmentDTO: Encodable {
    let id: UUID
    let childId: UUID
    let decision: ChecklistDecision
    let reason: String
    let answers: ChecklistAnswers
    let existingEpisode: EpisodeSummaryDTO?
    let recordedAt: Date
    /// What to do next, as a path: the safeguarding numbers, or starting the episode.
    let next: String?

    init(_ checklist: PreAssessment, existing: Episode?, shield: Shield, keys: SecretKeys) throws {
        id = checklist.id!
        childId = checklist.$child.id
        decision = checklist.decision
        reason = try checklist.reason(keys)
        answers = try checklist.answers(keys)
        existingEpisode = existing.map { EpisodeSummaryDTO($0, shield: shield) }
        recordedAt = checklist.recordedAt
        next =
            switch checklist.decision {
            case .safeguarding: APIURL.safeguardingCalls(checklist.$child.id).path
            case .caf: APIURL.childEpisodes(checklist.$child.id).path
            case .noAdditionalNeeds, .singleService: nil
            }
    }
}

struct SocialCareContactsDTO: Encodable {
    let localAuthority: String
    let dayPhone: String
    let outOfHoursPhone: String
    let followUpHours: Int

    init(_ authority: LocalAuthority) {
        localAuthority = authority.name
        dayPhone = authority.socialCareDayPhone
        outOfHoursPhone = authority.socialCareOutOfHoursPhone
        followUpHours = authority.followUpHours
    }
}

struct SafeguardingCallRequest: Decodable {
    let calledAt: Date?
    let spokeTo: String
    let advice: SafeguardingAdvice
    let adviceNote: String
    let reference: String?
    let episodeId: UUID?
    let preAssessmentId: UUID?
}

struct SafeguardingCallDTO: Encodable {
    let id: UUID
    let childId: UUID
    let episodeId: UUID?
    let preAssessmentId: UUID?
    let caller: ContactDTO
    let calledAt: Date
    let spokeTo: String
    let advice: SafeguardingAdvice
    let cafContinues: Bool
    let adviceNote: String
    let reference: String
    let followUpDue: Date
    let followUpSentAt: Date?
    let followUp: String
    let socialCare: SocialCareContactsDTO

    init(_ call: SafeguardingCall) {
        id = call.id!
        childId = call.$child.id
        episodeId = call.$episode.id
        preAssessmentId = call.$preAssessment.id
        // Read only by the caller and the LA's coordinators and safeguarding staff, who may
        // all see the whereabouts (`AccessPolicy.mayReadSafeguardingCall`).
        caller = ContactDTO(call.caller, shield: .open)
        calledAt = call.calledAt
        spokeTo = call.spokeTo
        advice = call.advice
        cafContinues = call.advice.cafContinues
        adviceNote = call.adviceNote
        reference = call.reference
        followUpDue = call.followUpDue
        followUpSentAt = call.followUpSentAt
        followUp = call.followUpState().rawValue
        socialCare = SocialCareContactsDTO(call.localAuthority)
    }
}

/// One page of calls, newest first, and where it stands in the whole list.
struct SafeguardingCallListDTO: Encodable {
    let calls: [SafeguardingCallDTO]
    let total: Int
    let page: Int
    let pageSize: Int
    let pageCount: Int

    init(_ paged: Paged<SafeguardingCall>) {
        calls = paged.rows.map(SafeguardingCallDTO.init)
        total = paged.total
        page = paged.page.number
        pageSize = ListPage.size
        pageCount = paged.pageCount
    }
}

struct FollowUpRequest: Decodable {
    let sentAt: Date?
}
