import CAFCore
import Foundation

// The JSON API's shapes for whereabouts and shielding. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

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
    /// Sent back as `If-Match` with a change.
    let version: Int
    /// Newest first; the current address has no `movedOut`.
    let addresses: [Address]

    init(_ whereabouts: Whereabouts) {
        address = whereabouts.address
        postcode = whereabouts.postcode
        school = whereabouts.school
        gpPractice = whereabouts.gpPractice
        contactPhone = whereabouts.contactPhone
        version = whereabouts.version
        addresses = whereabouts.history.map {
            Address(address: $0.address, postcode: $0.postcode, movedIn: $0.movedIn, movedOut: $0.movedOut)
        }
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
