import CAFCore
import Foundation

// The JSON API's shapes for services involved. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

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
