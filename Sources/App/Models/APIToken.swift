import Fluent
import Foundation

/// A bearer token for the JSON API. Only its SHA-256 digest is stored, so a copy of the
/// database cannot be used to sign in.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $tokenHash, $practitioner, $expiresAt, $createdAt] }
    init() {}
    init(tokenHash: String, practitionerID: UUID, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.$practitioner.id = practitionerID
        self.expiresAt = expiresAt
    }
}
