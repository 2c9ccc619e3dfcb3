import CAFCore
import Foundation

// The JSON API's shapes for episodes, consent and assessments. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

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
    /// Sent back quoted as `If-Match` with a change of lead, consent or team.
    let teamVersion: Int

    init(_ authorised: AuthorisedEpisode, assessment: Assessment) {
        let episode = authorised.episode
        teamVersion = episode.teamVersion
        consentHistory = authorised.consentHistory.map(ConsentDTO.init)
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

/// One page of episodes, newest first, and where it stands in the whole list.
struct EpisodeListDTO: Encodable {
    let episodes: [EpisodeListItemDTO]
    let total: Int
    let page: Int
    let pageSize: Int
    let pageCount: Int

    init(_ paged: Paged<Episode>) {
        episodes = paged.rows.map {
            EpisodeListItemDTO(
                id: $0.id!, status: $0.status.rawValue, childId: $0.$child.id, childName: $0.child.fullName,
                openedAt: $0.openedAt, leadProfessional: $0.leadProfessional?.name)
        }
        total = paged.total
        page = paged.page.number
        pageSize = ListPage.size
        pageCount = paged.pageCount
    }
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
    /// How far each part has been edited; the `ETag` header carries them all, for `If-Match`.
    let revisions: [String: Int]

    init(_ assessment: Assessment, shield: Shield, keys: SecretKeys) throws {
        let content = shield.content(try assessment.content(keys))
        let revisions = assessment.revisions
        self.revisions = Dictionary(uniqueKeysWithValues: AssessmentPart.allCases.map { ($0.rawValue, revisions[$0]) })
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

    init(episodeID: UUID, from: Assessment, to: Assessment, keys: SecretKeys) throws {
        let comparison = LevelComparison(from: try from.content(keys), to: try to.content(keys))
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
