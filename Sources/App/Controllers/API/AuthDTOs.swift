import CAFCore
import Foundation

// The JSON API's shapes for signing in. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

struct TokenRequest: Decodable {
    let email: String
    let password: String
    let code: String?
}

struct TokenResponse: Encodable {
    let token: String
    let expiresAt: Date
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
