import CAFCore
import Fluent
import Foundation

final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Enum(key: "agency_type") var agencyType: AgencyType
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    /// One more with each change an administrator makes: a change names the version it was
    /// made on.
    @Field(key: "version") var version: Int
    @OptionalParent(key: "updated_by_id") var updatedBy: Practitioner?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $name, $agencyType, $localAuthority, $version, $updatedBy, $updatedAt] }
    init() {}
    init(id: UUID? = nil, name: String, agencyType: AgencyType, localAuthorityID: UUID) {
        self.id = id
        self.name = name
        self.agencyType = agencyType
        self.$localAuthority.id = localAuthorityID
        self.version = 1
    }
}
