import CAFCore
import Foundation

// The JSON API's shapes. Fluent models never leave the App layer as JSON: each response
// is built here from them, so the wire format changes only on purpose.

struct TokenRequest: Decodable {
    let email: String
    let password: String
    let code: String?
}

struct TokenResponse: Encodable {
    let token: String
    let expiresAt: Date
}

struct OrganisationDTO: Encodable {
    let id: UUID
    let name: String
    let agencyType: AgencyType
    let localAuthorityId: UUID

    init(_ organisation: Organisation) {
        id = organisation.id!
        name = organisation.name
        agencyType = organisation.agencyType
        localAuthorityId = organisation.$localAuthority.id
    }
}

struct MeDTO: Encodable {
    let id: UUID
    let email: String
    let name: String
    let jobTitle: String
    let roles: [Role]
    let organisation: OrganisationDTO?

    init(_ signedIn: SignedIn) {
        id = signedIn.id
        email = signedIn.practitioner.email
        name = signedIn.practitioner.name
        jobTitle = signedIn.practitioner.jobTitle
        roles = signedIn.practitioner.roles.sorted { $0.rawValue < $1.rawValue }
        organisation = signedIn.organisation.map(OrganisationDTO.init)
    }
}

/// How to reach a practitioner: what anyone outside a team may know about it. Someone working
/// with a child whose whereabouts are shielded from the caller comes without organisation,
/// e-mail or phone (`withheld`): the caller reaches them through the LA's coordinators.
struct ContactDTO: Encodable {
    let id: UUID
    let name: String
    let jobTitle: String
    let organisation: String?
    let agencyType: AgencyType?
    let email: String?
    let phone: String?
    let withheld: Bool

    /// `shield` is the caller's for the child this person works with; `.open` where the
    /// person is not shown as working with a child (a coordinator, a requester, a reviewer).
    init(_ practitioner: Practitioner, shield: Shield) {
        id = practitioner.id!
        name = practitioner.name
        jobTitle = practitioner.jobTitle
        agencyType = practitioner.organisation?.agencyType
        withheld = shield.hidesWhereabouts
        organisation = withheld ? nil : practitioner.organisation?.name
        email = withheld ? nil : practitioner.email
        phone = withheld ? nil : practitioner.phone
    }
}

struct ChildCreateRequest: Decodable {
    /// May be left out for an unborn baby, who is then "Unborn baby" until the birth.
    let givenName: String?
    let familyName: String
    /// One of the two: the date of birth, or an unborn baby's expected date of delivery.
    let dateOfBirth: String?
    let expectedDeliveryDate: String?
    let gender: Gender?
    let postcode: String?
    let nhsNumber: String?
    let upn: String?
    let knownAs: String?
    /// Register even though the index holds children who look the same.
    let notADuplicate: Bool?
}

struct ChildDTO: Encodable {
    let id: UUID
    let givenName: String
    let familyName: String
    /// Absent while the child is unborn, when `expectedDeliveryDate` is given instead.
    let dateOfBirth: String?
    let expectedDeliveryDate: String?
    let gender: Gender?
    let postcode: String?
    let nhsNumber: String?
    let upn: String?
    let localAuthorityId: UUID
    /// The whereabouts are hidden from all but the LA's coordinators and safeguarding staff;
    /// `postcode` is then null for everyone else.
    let shielded: Bool

    init(_ child: Child, shield: Shield) {
        nhsNumber = child.nhsNumber
        upn = child.upn
        id = child.id!
        givenName = child.givenName
        familyName = child.familyName
        dateOfBirth = child.unborn ? nil : child.dateOfBirth
        expectedDeliveryDate = child.unborn ? child.dateOfBirth : nil
        gender = child.gender
        postcode = shield.hidesWhereabouts ? nil : child.postcode
        localAuthorityId = child.$localAuthority.id
        shielded = child.shielded
    }
}

struct ChildBirthRequest: Decodable {
    let dateOfBirth: String
    /// The baby's first name, when they have one; the old name is kept as a previous name.
    let givenName: String?
}

struct ChildMergeRequest: Decodable {
    /// The other record of the same child, which is merged into this one.
    let duplicateId: UUID
    let reason: String
}

struct ChildNameRequest: Decodable {
    let kind: NameKind
    let givenName: String
    let familyName: String
    /// How the caller knows: needed when they are not on the child's team, whose change is then
    /// a proposal for the coordinator.
    let reason: String?
}

struct NameProposalDecisionRequest: Decodable {
    enum Decision: String, Decodable { case accepted, refused }
    let decision: Decision
    /// Why it is refused (the proposer sees it); optional when accepting.
    let note: String?
}

/// A correction to a child's name awaiting, or given, a coordinator's decision.
struct NameProposalDTO: Encodable {
    let id: UUID
    let childId: UUID
    let kind: NameKind
    let givenName: String
    let familyName: String
    let reason: String
    let proposedBy: ContactDTO?
    let proposedAt: Date
    let decision: String
    let decidedAt: Date?
    let decisionNote: String

    init(_ proposal: NameProposal) {
        id = proposal.id!
        childId = proposal.$child.id
        kind = proposal.kind
        givenName = proposal.givenName
        familyName = proposal.familyName
        reason = proposal.reason
        // Seen by the proposer and the LA's coordinators, who see the whereabouts.
        proposedBy = proposal.$proposedBy.value.map { ContactDTO($0, shield: .open) }
        proposedAt = proposal.proposedAt
        decision = proposal.decision.rawValue
        decidedAt = proposal.decidedAt
        decisionNote = proposal.decisionNote
    }
}

struct DecisionNotToShareRequest: Decodable {
    let withheld: String
    let withheldFrom: String
    let reason: String
}

/// A decision not to share, with its reason.
struct DecisionNotToShareDTO: Encodable {
    let id: UUID
    let childId: UUID
    let withheld: String
    let withheldFrom: String
    let reason: String
    let decidedBy: ContactDTO?
    let decidedAt: Date

    init(_ decision: DecisionNotToShare, shield: Shield) {
        id = decision.id!
        childId = decision.$child.id
        withheld = decision.withheld
        withheldFrom = decision.withheldFrom
        reason = decision.reason
        decidedBy = decision.$decidedBy.value.map { ContactDTO($0, shield: shield) }
        decidedAt = decision.decidedAt
    }
}

struct DecisionsNotToShareDTO: Encodable {
    /// Newest first, at most 200.
    let decisions: [DecisionNotToShareDTO]
    let lastThirtyDays: Int
}

struct NameProposalQueueDTO: Encodable {
    let proposals: [NameProposalDTO]
}

struct ChildNameDTO: Encodable {
    let kind: NameKind
    let givenName: String
    let familyName: String

    init(_ name: IndexName) {
        kind = name.kind
        givenName = name.givenName
        familyName = name.familyName
    }
}

struct ChildSearchRequest: Decodable {
    let q: String?
    let dob: String?
    let dobTo: String?
    let postcode: String?
    let identifier: String?
    let page: Int?
}

struct ChildSearchHitDTO: Encodable {
    let child: ChildDTO
    /// The known-as or previous name that matched, when the current one did not.
    let matchedName: ChildNameDTO?
}

/// One page of results, best first; `capped` says more matched than the cap.
struct ChildSearchDTO: Encodable {
    let results: [ChildSearchHitDTO]
    let total: Int
    let capped: Bool
    let page: Int
    let pageSize: Int
    let pageCount: Int

    init(_ result: ChildSearchResult) {
        results = result.hits.map {
            ChildSearchHitDTO(
                child: ChildDTO($0.child, shield: $0.shield),
                matchedName: $0.matchedName.map(ChildNameDTO.init))
        }
        total = result.total
        capped = result.capped
        page = result.page
        pageSize = ChildIndex.pageSize
        pageCount = result.pageCount
    }
}

/// An episode as the index shows it to anyone: that it exists and who to contact.
struct EpisodeSummaryDTO: Encodable {
    let id: UUID
    let childId: UUID
    let status: String
    let openedAt: Date
    let contact: ContactDTO
    let leadProfessional: ContactDTO?

    init(_ episode: Episode, shield: Shield) {
        id = episode.id!
        childId = episode.$child.id
        status = episode.status.rawValue
        openedAt = episode.openedAt
        contact = ContactDTO(Access.contact(for: episode), shield: shield)
        leadProfessional = episode.leadProfessional.map { ContactDTO($0, shield: shield) }
    }
}

struct ChildRecordDTO: Encodable {
    let child: ChildDTO
    /// Every name the child is or was known by, the current one first.
    let names: [ChildNameDTO]
    /// Null while shielded from the caller: ask one of `coordinators` instead.
    let whereabouts: WhereaboutsDTO?
    let coordinators: [ContactDTO]
    /// The services involved that the caller may see.
    let services: [InvolvementDTO]
    let episodes: [EpisodeSummaryDTO]
    let involved: [ContactDTO]
    /// Phone first: whom to ring about a safeguarding concern for this child.
    let socialCare: SocialCareContactsDTO

    init(_ record: ChildRecord) {
        child = ChildDTO(record.child, shield: record.shield)
        whereabouts = record.whereabouts.map(WhereaboutsDTO.init)
        coordinators = record.coordinators.map { ContactDTO($0, shield: .open) }  // whom to ask: always reachable
        services = record.services.map { InvolvementDTO($0, shield: record.shield) }
        names = record.names.map { ChildNameDTO($0.indexName) }
        socialCare = SocialCareContactsDTO(record.child.localAuthority)
        episodes = record.episodes.map { EpisodeSummaryDTO($0, shield: record.shield) }
        involved = record.involved.map { ContactDTO($0, shield: record.shield) }
    }
}

struct ConsentScopeDTO: Codable {
    let store: Bool
    let shareWithAgencyTypes: [AgencyType]
}

struct ConsentRequestDTO: Decodable {
    let givenBy: ConsentGivenBy
    let name: String
    let relationship: String?
    let method: ConsentMethod
    let scope: ConsentScopeDTO

    var record: ConsentRecord {
        ConsentRecord(
            givenBy: givenBy, name: name, relationship: relationship ?? "", method: method,
            scope: ConsentScope(store: scope.store, shareWithAgencyTypes: Set(scope.shareWithAgencyTypes)))
    }
}

struct EpisodeCreateRequest: Decodable {
    let consent: ConsentRequestDTO
    /// Children's social care's handover note when stepping a case down into a CAF.
    let stepDownNote: String?
}

struct ConsentDTO: Encodable {
    let kind: ConsentKind
    let reason: String
    let givenBy: ConsentGivenBy
    let name: String
    let relationship: String
    let method: ConsentMethod
    let scope: ConsentScopeDTO
    let recordedAt: Date

    init(_ consent: Consent) {
        kind = consent.kind
        reason = consent.reason
        givenBy = consent.givenBy
        name = consent.name
        relationship = consent.relationship
        method = consent.method
        scope = ConsentScopeDTO(
            store: consent.scope.store,
            shareWithAgencyTypes: consent.scope.shareWithAgencyTypes.sorted { $0.rawValue < $1.rawValue })
        recordedAt = consent.recordedAt
    }
}

struct AssessmentVersionDTO: Encodable {
    let version: Int
    let status: AssessmentStatus
    let createdAt: Date?
    let updatedAt: Date?
    let completedAt: Date?

    init(_ assessment: Assessment) {
        version = assessment.version
        status = assessment.status
        createdAt = assessment.createdAt
        updatedAt = assessment.updatedAt
        completedAt = assessment.completedAt
    }
}

struct EpisodeDTO: Encodable {
    let id: UUID
    let status: String
    let child: ChildDTO
    let localAuthorityId: UUID
    let openedAt: Date
    let author: ContactDTO
    let leadProfessional: ContactDTO?
    let sharedWith: [ContactDTO]
    let consent: ConsentDTO
    /// Every consent decision, oldest first; the last governs.
    let consentHistory: [ConsentDTO]
    let assessment: AssessmentVersionDTO
    /// Why this caller may read it: author, lead-professional, shared, coordinator, manager.
    let access: String
    let closedAt: Date?
    let closureReason: ClosureReason?
    let closureNote: String
    let stepDownNote: String?

    init(_ authorised: AuthorisedEpisode, assessment: Assessment, consentHistory: [Consent]) {
        let episode = authorised.episode
        self.consentHistory = consentHistory.map(ConsentDTO.init)
        id = episode.id!
        status = episode.status.rawValue
        child = ChildDTO(authorised.child, shield: authorised.shield)
        localAuthorityId = episode.$localAuthority.id
        openedAt = episode.openedAt
        author = ContactDTO(episode.author, shield: authorised.shield)
        leadProfessional = episode.leadProfessional.map { ContactDTO($0, shield: authorised.shield) }
        sharedWith = episode.shares.map { ContactDTO($0.practitioner, shield: authorised.shield) }
        consent = ConsentDTO(authorised.consent)
        self.assessment = AssessmentVersionDTO(assessment)
        access = authorised.basis.rawValue
        closedAt = episode.closedAt
        closureReason = episode.closureReason
        closureNote = episode.closureNote
        stepDownNote = episode.stepDownNote
    }
}

struct EpisodeListItemDTO: Encodable {
    let id: UUID
    let status: String
    let childId: UUID
    let childName: String
    let openedAt: Date
    let leadProfessional: String?
}

struct EpisodeListDTO: Encodable {
    let episodes: [EpisodeListItemDTO]
}

struct AssessmentDTO: Encodable {
    let episodeId: UUID
    let version: Int
    let status: AssessmentStatus
    let createdAt: Date?
    let updatedAt: Date?
    let completedAt: Date?
    let identifying: IdentifyingDetails
    let parents: [ParentCarer]
    let family: FamilySituation
    let assessor: Assessor
    let services: [ServiceInvolved]
    let peoplePresent: String
    let reasonForAssessment: String
    /// Every element of the form, in form order, answered or not.
    let elements: [ElementAssessment]
    let childViews: String
    let parentViews: String
    let conclusions: String

    /// Behind the shield, the withheld fields are empty (`whereaboutsWithheld`); a save keeps
    /// what is stored for them.
    let whereaboutsWithheld: Bool

    init(_ assessment: Assessment, shield: Shield) throws {
        let content = shield.content(try assessment.content())
        whereaboutsWithheld = shield.hidesWhereabouts
        episodeId = assessment.$episode.id
        version = assessment.version
        status = assessment.status
        createdAt = assessment.createdAt
        updatedAt = assessment.updatedAt
        completedAt = assessment.completedAt
        identifying = content.identifying
        parents = content.parents
        family = content.family
        assessor = content.assessor
        services = content.services
        peoplePresent = content.peoplePresent
        reasonForAssessment = content.reasonForAssessment
        elements = content.allElements
        childViews = content.childViews
        parentViews = content.parentViews
        conclusions = content.conclusions
    }
}

struct AssessmentVersionsDTO: Encodable {
    let versions: [AssessmentVersionDTO]
}

struct ShareRequest: Decodable {
    let practitionerEmail: String
}

struct ShareDTO: Encodable {
    let episodeId: UUID
    let practitioner: ContactDTO
    let sharedAt: Date
}

struct AuditEventDTO: Encodable {
    let id: UUID
    let occurredAt: Date
    let actorId: UUID?
    let actorEmail: String
    let actorRoles: [String]
    let action: String
    let childId: UUID?
    let episodeId: UUID?
    let outcome: String
    let detail: String
    /// The event's place in the tamper-evident chain and its SHA-256.
    let sequence: Int64
    let hash: String

    init(_ event: AuditEvent) {
        id = event.id!
        sequence = event.sequence
        hash = event.hash
        occurredAt = event.occurredAt
        actorId = event.actorID
        actorEmail = event.actorEmail
        actorRoles = event.actorRoles.split(separator: ",").map(String.init)
        action = event.action
        childId = event.childID
        episodeId = event.episodeID
        outcome = event.outcome
        detail = event.detail
    }
}

struct AuditDTO: Encodable {
    let events: [AuditEventDTO]
}

struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let field: String?
        let problems: [Problem]?
        /// Ids of the records the error is about (a registration's possible duplicates).
        let related: [UUID]?
    }
    struct Problem: Encodable {
        let field: String
        let message: String
    }
    let error: Detail
}

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

    init(_ checklist: PreAssessment, existing: Episode?, shield: Shield) throws {
        id = checklist.id!
        childId = checklist.$child.id
        decision = checklist.decision
        reason = checklist.reason
        answers = try checklist.answers()
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

struct SafeguardingCallListDTO: Encodable {
    let calls: [SafeguardingCallDTO]
}

struct FollowUpRequest: Decodable {
    let sentAt: Date?
}

struct ConsentChangeRequest: Decodable {
    let kind: ConsentKind
    let reason: String?
    /// For `given`: who gave it again, how, and the new scope.
    let consent: ConsentRequestDTO?

    var change: ConsentChange {
        ConsentChange(kind: kind, record: consent?.record, reason: reason ?? "")
    }
}

struct ConsentRefusalRequest: Decodable {
    let givenBy: ConsentGivenBy
    let name: String
    let note: String
}

struct ConsentRefusalDTO: Encodable {
    let id: UUID
    let childId: UUID
    let givenBy: ConsentGivenBy
    let name: String
    let note: String
    let recordedAt: Date

    init(_ refusal: ConsentRefusalRecord) {
        id = refusal.id!
        childId = refusal.$child.id
        givenBy = refusal.givenBy
        name = refusal.name
        note = refusal.note
        recordedAt = refusal.recordedAt
    }
}

struct ComparisonDTO: Encodable {
    struct Element: Encodable {
        let code: String
        let domain: CAFDomain
        let from: LevelOfNeed?
        let to: LevelOfNeed?
        let change: LevelChange
    }
    struct Domain: Encodable {
        let domain: CAFDomain
        let down: Int
        let same: Int
        let up: Int
        let notComparable: Int
    }
    let episodeId: UUID
    let fromVersion: Int
    let toVersion: Int
    let elements: [Element]
    let domains: [Domain]

    init(episodeID: UUID, from: Assessment, to: Assessment) throws {
        let comparison = LevelComparison(from: try from.content(), to: try to.content())
        episodeId = episodeID
        fromVersion = from.version
        toVersion = to.version
        elements = comparison.rows.map {
            Element(code: $0.element.code, domain: $0.element.domain, from: $0.from, to: $0.to, change: $0.change)
        }
        domains = comparison.domains.map {
            Domain(domain: $0.domain, down: $0.down, same: $0.same, up: $0.up, notComparable: $0.notComparable)
        }
    }
}

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

    init(_ meeting: TACMeeting, shield: Shield) {
        id = meeting.id!
        episodeId = meeting.$episode.id
        scheduledAt = meeting.scheduledAt
        place = shield.text(meeting.place)
        held = meeting.held
        minutes = meeting.minutes
        decisions = meeting.decisions
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
    let practitioners: [ContactDTO]
    let familyMembers: [FamilyMemberDTO]
    let meetings: [MeetingDTO]
    let leadProfessionals: [LeadProfessionalTermDTO]
}

struct ActionRequest: Decodable {
    let description: String
    let elementCodes: [String]
    let ownerEmail: String?
    let ownerAgency: String?
    let dueOn: String

    var planned: PlannedAction {
        PlannedAction(
            description: description, elementCodes: elementCodes, ownerEmail: ownerEmail ?? "", ownerAgency: ownerAgency ?? "",
            dueOn: dueOn)
    }
}

struct ActionUpdateRequest: Decodable {
    let status: ActionStatus
    let outcomeNote: String?
}

struct ActionDTO: Encodable {
    let id: UUID
    let episodeId: UUID
    let description: String
    let elementCodes: [String]
    let ownerPractitionerId: UUID?
    let ownerAgency: String
    let dueOn: String
    let status: ActionStatus
    let overdue: Bool
    let outcomeNote: String
    let startedAt: Date?
    let completedAt: Date?

    init(_ action: PlanAction) {
        id = action.id!
        episodeId = action.$episode.id
        description = action.description
        elementCodes = action.elementCodes
        ownerPractitionerId = action.$ownerPractitioner.id
        ownerAgency = action.ownerAgency
        dueOn = action.dueOn
        status = action.status
        overdue = action.isOverdue()
        outcomeNote = action.outcomeNote
        startedAt = action.startedAt
        completedAt = action.completedAt
    }
}

struct ActionPlanDTO: Encodable {
    let episodeId: UUID
    let reviewOn: String?
    let actions: [ActionDTO]
}

struct PlanReviewRequest: Decodable {
    let reviewOn: String
}

struct CloseRequest: Decodable {
    let reason: ClosureReason
    let note: String?
}

struct ReopenRequest: Decodable {
    let reason: String
}

struct ReferralDecisionRequest: Decodable {
    let decision: ReferralDecision
    let reason: String?
}

struct ReferralDTO: Encodable {
    let id: UUID
    let episodeId: UUID
    let childId: UUID?
    let childName: String?
    let referredBy: ContactDTO?
    let referredAt: Date
    let note: String
    let decision: ReferralDecision
    let decidedAt: Date?
    let decisionReason: String

    init(_ referral: Referral) {
        id = referral.id!
        episodeId = referral.$episode.id
        childId = referral.$episode.value?.$child.id
        childName = referral.$episode.value?.$child.value?.fullName
        // Decided by the LA's safeguarding staff, who see the whereabouts.
        referredBy = referral.$referredBy.value.map { ContactDTO($0, shield: .open) }
        referredAt = referral.referredAt
        note = referral.note
        decision = referral.decision
        decidedAt = referral.decidedAt
        decisionReason = referral.decisionReason
    }
}

struct ReferralListDTO: Encodable {
    let referrals: [ReferralDTO]
}

struct AccessRequestRequest: Decodable {
    let reason: String
}

struct AccessRequestDecisionRequest: Decodable {
    enum Decision: String, Decodable { case granted, refused }
    let decision: Decision
    let note: String?
}

struct AccessRequestDTO: Encodable {
    let id: UUID
    let episodeId: UUID
    let requester: ContactDTO?
    let reason: String
    let status: String
    let requestedAt: Date
    let decidedAt: Date?
    let decisionNote: String

    /// `shield` is the reader's for the child: someone asking to join usually already serves
    /// the child, so their organisation can say where the child is.
    init(_ request: AccessRequest, shield: Shield) {
        id = request.id!
        episodeId = request.$episode.id
        requester = request.$requester.value.map { ContactDTO($0, shield: shield) }
        reason = request.reason
        status = request.status.rawValue
        requestedAt = request.requestedAt
        decidedAt = request.decidedAt
        decisionNote = request.decisionNote
    }
}

struct AccessRequestListDTO: Encodable {
    let requests: [AccessRequestDTO]
}

struct BreakGlassRequest: Decodable {
    let reason: String
}

struct WhereaboutsDTO: Encodable {
    struct Address: Encodable {
        let address: String
        let postcode: String?
        let movedIn: String?
        let movedOut: String?
    }

    let address: String?
    let postcode: String?
    let school: String?
    let gpPractice: String?
    let contactPhone: String?
    /// Newest first; the current address has no `movedOut`.
    let addresses: [Address]

    init(_ whereabouts: Whereabouts) {
        address = whereabouts.address
        postcode = whereabouts.postcode
        school = whereabouts.school
        gpPractice = whereabouts.gpPractice
        contactPhone = whereabouts.contactPhone
        addresses = whereabouts.history.map {
            Address(address: $0.address, postcode: $0.postcode, movedIn: $0.movedIn, movedOut: $0.movedOut)
        }
    }
}

struct InvolvementRequest: Decodable {
    let service: String
    let role: String
    let practitionerName: String
    let startedOn: String
    let endedOn: String?
    let sensitive: SensitiveService?
}

struct InvolvementDTO: Encodable {
    let id: UUID
    let service: String
    let role: String
    let practitionerName: String
    let organisation: String
    let startedOn: String
    let endedOn: String?
    let sensitive: SensitiveService?

    init(_ involvement: Involvement, shield: Shield) {
        id = involvement.id!
        service = involvement.service
        role = involvement.role
        practitionerName = involvement.practitionerName
        organisation = shield.text(involvement.$organisation.value?.name ?? "")
        startedOn = involvement.startedOn
        endedOn = involvement.endedOn
        sensitive = involvement.sensitive
    }
}

struct DisclosureRequest: Decodable {
    let practitionerId: UUID?
    let agreedBy: DisclosureAgreement?
}

/// Whom a sensitive service let see its involvement; `withdrawnAt` once it no longer may.
struct DisclosureDTO: Encodable {
    let id: UUID
    let involvementId: UUID
    let practitioner: ContactDTO
    let agreedBy: DisclosureAgreement
    let recordedAt: Date
    let withdrawnAt: Date?

    init(_ disclosure: InvolvementDisclosure, shield: Shield) {
        id = disclosure.id!
        involvementId = disclosure.$involvement.id
        practitioner = ContactDTO(disclosure.practitioner, shield: shield)
        agreedBy = disclosure.agreedBy
        recordedAt = disclosure.recordedAt
        withdrawnAt = disclosure.withdrawnAt
    }
}

struct DisclosuresDTO: Encodable {
    let involvement: InvolvementDTO
    /// Standing disclosures, oldest first.
    let disclosures: [DisclosureDTO]

    init(_ disclosures: Involvements.Disclosures) {
        involvement = InvolvementDTO(disclosures.involvement, shield: disclosures.shield)
        self.disclosures = disclosures.standing.map { DisclosureDTO($0, shield: disclosures.shield) }
    }
}

struct WhereaboutsRequest: Decodable {
    let address: String?
    let postcode: String?
    let movedIn: String?
    let school: String?
    let gpPractice: String?
    let contactPhone: String?
}

struct ShieldRequest: Decodable {
    let shielded: Bool
    let reason: String
}

struct ShieldOverrideRequest: Decodable {
    let reason: String
}

struct BreakGlassReviewRequest: Decodable {
    let note: String
}

/// A break-glass grant or a shield override, in one shape: what was opened (the child, and the
/// episode for break-glass), by whom, why, until when, and the coordinator's review.
struct EmergencyAccessDTO: Encodable {
    let id: UUID
    let kind: String
    let childId: UUID
    let episodeId: UUID?
    let practitioner: ContactDTO?
    let reason: String
    let takenAt: Date
    /// When a break-glass grant stops opening the episode; an override ends with its sign-in.
    let until: Date?
    let reviewedAt: Date?
    let reviewNote: String

    init<Item: EmergencyAccess>(_ item: Item) {
        id = item.id!
        kind = Item.kind.rawValue
        childId = item.child.id!
        episodeId = item.episodeID
        practitioner = ContactDTO(item.practitioner, shield: .open)  // for the LA's coordinators
        reason = item.reason
        takenAt = item.takenAt
        until = item.until
        reviewedAt = item.reviewedAt
        reviewNote = item.reviewNote
    }
}

struct EmergencyAccessQueueDTO: Encodable {
    /// Oldest first, at most `EmergencyAccessReviews.queueLimit`.
    let items: [EmergencyAccessDTO]
}

struct OrganisationRequest: Decodable {
    let name: String
    let agencyType: AgencyType
}

/// Either field; one left out stays as it is.
struct OrganisationChangeRequest: Decodable {
    let name: String?
    let agencyType: AgencyType?
}

struct PractitionerRequest: Decodable {
    let email: String
    let name: String
    let jobTitle: String?
    let phone: String?
    let roles: [Role]
    let organisationId: UUID
}

/// Any of the fields; those left out stay as they are.
struct PractitionerChangeRequest: Decodable {
    let name: String?
    let jobTitle: String?
    let phone: String?
    let roles: [Role]?
    let organisationId: UUID?
    let disabled: Bool?
    let resetTwoFactor: Bool?
    let resendNewAccountLink: Bool?
}

struct AccountDTO: Encodable {
    let id: UUID
    let email: String
    let name: String
    let jobTitle: String
    let roles: [Role]
    let organisation: OrganisationDTO?
    let disabled: Bool
    /// Whether two-factor sign-in is set up.
    let twoFactor: Bool
    /// Whether the holder has chosen their own password from their link.
    let passwordSet: Bool
    /// The roles asked for and awaiting a second administrator (empty when none).
    let pendingRoles: [Role]

    init(_ practitioner: Practitioner, pendingRoles pending: Set<Role> = []) {
        pendingRoles = pending.sorted { $0.rawValue < $1.rawValue }
        id = practitioner.id!
        email = practitioner.email
        name = practitioner.name
        jobTitle = practitioner.jobTitle
        roles = practitioner.roles.sorted { $0.rawValue < $1.rawValue }
        organisation = practitioner.$organisation.value.flatMap { $0.map(OrganisationDTO.init) }
        disabled = practitioner.disabled
        twoFactor = practitioner.totpSecret != nil
        passwordSet = practitioner.passwordSetAt != nil
    }
}

struct RoleGrantDTO: Encodable {
    let id: UUID
    let practitionerId: UUID
    let practitionerEmail: String
    /// The whole set of roles the account would hold.
    let roles: [Role]
    let requestedBy: String
    let requestedAt: Date
    let decision: RoleGrant.Decision
    let decidedAt: Date?
    let note: String

    init(_ grant: RoleGrant) {
        id = grant.id!
        practitionerId = grant.$practitioner.id
        practitionerEmail = grant.practitioner.email
        roles = grant.roles.sorted { $0.rawValue < $1.rawValue }
        requestedBy = grant.requestedBy.email
        requestedAt = grant.requestedAt
        decision = grant.decision
        decidedAt = grant.decidedAt
        note = grant.note
    }
}

struct RoleGrantQueueDTO: Encodable {
    let grants: [RoleGrantDTO]
}

struct RoleGrantDecisionRequest: Decodable {
    enum Decision: String, Decodable { case approved, refused }
    let decision: Decision
    let note: String?
}

struct AccountListDTO: Encodable {
    let practitioners: [AccountDTO]
    let organisations: [OrganisationDTO]
}

/// Measures for a scope and period; counts under 5 show as "<5" when `disclosureControlled`.
struct MeasuresDTO: Encodable {
    let from: String
    let to: String
    let localAuthorityId: UUID?
    let agencyType: AgencyType?
    let organisationId: UUID?
    let disclosureControlled: Bool
    let tables: [MeasureTableDTO]

    init(_ report: MeasureReports.Report) {
        from = report.from
        to = report.to
        localAuthorityId = report.scope.localAuthorityID
        agencyType = report.scope.agencyType
        organisationId = report.scope.organisationID
        disclosureControlled = report.disclosureControlled
        tables = report.tables.map(MeasureTableDTO.init)
    }
}

struct MeasureTableDTO: Encodable {
    struct Column: Encodable {
        let title: String
        let kind: String
    }

    struct Cell: Encodable {
        /// Null when hidden or empty.
        let value: Double?
        /// As shown: "12", "40%", "<5" for a hidden small count, "*" for a hidden other cell.
        let text: String
    }

    struct Row: Encodable {
        let label: String
        let total: Bool
        let cells: [Cell]
    }

    let measure: String
    let family: String
    let title: String
    let explanation: String
    let rowHeading: String
    let columns: [Column]
    let rows: [Row]

    init(_ table: MeasureTable) {
        measure = table.measure.rawValue
        family = table.measure.family.rawValue
        title = table.measure.title
        explanation = table.measure.explanation
        rowHeading = table.rowHeading
        columns = table.columns.map { Column(title: $0.title, kind: $0.kind.rawValue) }
        rows = table.rows.map { row in
            Row(label: row.label, total: row.isTotal, cells: row.cells.map { Cell(value: $0.value, text: $0.text) })
        }
    }
}

struct TimeEntryRequest: Decodable {
    /// calls, visits, meetings or admin.
    let activity: String?
    let minutes: Int?
    /// YYYY-MM-DD; today when left out.
    let on: String?
}

struct TimeEntryDTO: Encodable {
    let id: UUID
    let activity: Activity
    let minutes: Int
    let on: String

    init(_ record: TimeRecord) {
        id = record.id!
        activity = record.activity
        minutes = record.minutes
        on = record.occurredOn
    }
}
