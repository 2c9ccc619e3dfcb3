import CAFCore
import Fluent
import Foundation

/// Roles an administrator asked for on an account, waiting for (or decided by) a second
/// administrator of the same LA. `roles` is the whole set the account would hold.
final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "role_grants"

    enum Decision: String, Codable, Sendable { case pending, approved, refused }

    @ID(key: .id) var id: UUID?
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Field(key: "roles") var roleStorage: String
    @Parent(key: "requested_by_id") var requestedBy: Practitioner
    @Field(key: "requested_at") var requestedAt: Date
    @Enum(key: "decision") var decision: Decision
    @OptionalParent(key: "decided_by_id") var decidedBy: Practitioner?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "note") var note: String

    var roles: Set<Role> { Set(storage: roleStorage) }

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $practitioner, $localAuthority, $roleStorage, $requestedBy, $requestedAt, $decision, $decidedBy, $decidedAt, $note]
    }
    init() {}
    init(practitionerID: UUID, localAuthorityID: UUID, roles: Set<Role>, requestedBy: UUID) {
        self.$practitioner.id = practitionerID
        self.$localAuthority.id = localAuthorityID
        self.roleStorage = roles.storage
        self.$requestedBy.id = requestedBy
        self.requestedAt = Date()
        self.decision = .pending
        self.note = ""
    }
}
