import CAFCore
import Foundation

// The JSON API's shapes for accounts and organisations. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

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
    /// Whether two-factor sign-in is set up: an authenticator app or a security key.
    let twoFactor: Bool
    /// Whether the holder has chosen their own password from their link.
    let passwordSet: Bool
    /// The roles asked for and awaiting a second administrator (empty when none).
    let pendingRoles: [Role]
    /// Sent back as `If-Match` with an administrator's change.
    let version: Int

    init(_ practitioner: Practitioner, pendingRoles pending: Set<Role> = []) {
        version = practitioner.version
        pendingRoles = pending.sorted { $0.rawValue < $1.rawValue }
        id = practitioner.id!
        email = practitioner.email
        name = practitioner.name
        jobTitle = practitioner.jobTitle
        roles = practitioner.roles.sorted { $0.rawValue < $1.rawValue }
        organisation = practitioner.$organisation.value.flatMap { $0.map(OrganisationDTO.init) }
        disabled = practitioner.disabled
        twoFactor = practitioner.hasSecondFactor
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
