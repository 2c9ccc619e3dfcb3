import Fluent
import Foundation

/// A person's security key (WebAuthn): once they have one, signing in on the pages asks for it.
final class SecurityKey: Model, @unchecked Sendable {
    static let schema = "security_keys"

    @ID(key: .id) var id: UUID?
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    /// The key's credential id, base64url: how the browser names the key to the server.
    @Field(key: "credential_id") var credentialID: String
    /// The P-256 public key (X9.63), base64url. Public: it only checks signatures.
    @Field(key: "public_key") var publicKey: String
    @Field(key: "sign_count") var signCount: Int64
    /// What its holder calls it ("Blue key on my lanyard").
    @Field(key: "name") var name: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [$id, $practitioner, $credentialID, $publicKey, $signCount, $name, $createdAt, $lastUsedAt]
    }
    init() {}
}
