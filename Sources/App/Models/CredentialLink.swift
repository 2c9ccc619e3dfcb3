import Fluent
import Foundation

/// A one-time link e-mailed to an account's holder: only the digest of its token is kept.
final class CredentialLink: Model, @unchecked Sendable {
    static let schema = "credential_links"

    enum Purpose: String, Codable, Sendable, CaseIterable {
        /// A new account: its holder chooses the first password, then sets up two-factor.
        case newAccount = "new-account"
        /// A forgotten password: a new one, with the code from their app when they have one.
        case resetPassword = "reset-password"
        /// A lost phone: the holder proves their password, then sets two-factor up again.
        case resetTwoFactor = "reset-two-factor"

        /// Long enough to be read on the next working day when an administrator sends it;
        /// short for a forgotten password, which the person asked for a moment ago.
        var lifetime: TimeInterval {
            switch self {
            case .newAccount, .resetTwoFactor: 72 * 3600
            case .resetPassword: 3600
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "practitioner_id") var practitioner: Practitioner
    @Enum(key: "purpose") var purpose: Purpose
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $tokenHash, $practitioner, $purpose, $createdAt, $expiresAt, $usedAt] }
    init() {}
    init(tokenHash: String, practitionerID: UUID, purpose: Purpose, now: Date = Date()) {
        self.tokenHash = tokenHash
        self.$practitioner.id = practitionerID
        self.purpose = purpose
        self.createdAt = now
        self.expiresAt = now.addingTimeInterval(purpose.lifetime)
    }
}
