import CAFCore
import Foundation

// The JSON API's shapes for children and the index. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

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
