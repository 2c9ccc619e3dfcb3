import CAFCore
import Foundation

// The JSON API's shapes for more than one area. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct OrganisationDTO: Encodable {
    let id: UUID
    let name: String
    let agencyType: AgencyType
    let localAuthorityId: UUID
    /// Sent back as `If-Match` with an administrator's change.
    let version: Int

    init(_ organisation: Organisation) {
        id = organisation.id!
        name = organisation.name
        agencyType = organisation.agencyType
        localAuthorityId = organisation.$localAuthority.id
        version = organisation.version
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

struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let field: String?
        let problems: [Problem]?
        /// Ids of the records the error is about (a registration's possible duplicates).
        let related: [UUID]?
        /// For a stale edit (412): each part saved since, by whom and when.
        var changes: [Change]? = nil
    }
    struct Change: Encodable {
        let part: String
        let revision: Int
        let savedBy: String?
        let savedAt: Date?
    }
    struct Problem: Encodable {
        let field: String
        let message: String
    }
    let error: Detail
}
