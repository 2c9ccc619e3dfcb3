import CAFCore
import Fluent
import Foundation

final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Enum(key: "agency_type") var agencyType: AgencyType
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority

    init() {}
    init(id: UUID? = nil, name: String, agencyType: AgencyType, localAuthorityID: UUID) {
        self.id = id
        self.name = name
        self.agencyType = agencyType
        self.$localAuthority.id = localAuthorityID
    }
}
