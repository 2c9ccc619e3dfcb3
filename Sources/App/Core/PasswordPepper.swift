import Crypto
import Foundation
import SQLKit
import Vapor

/// A secret mixed into every password before bcrypt hashes it (ASVS V2.4.5), kept apart from
/// the hashes: random at the first start, stored sealed under `ECAF_SECRETS_KEY`, so a copy of
/// the database alone cannot test a single guess. It never changes: a key rotation seals it
/// again like every other secret (`SealedColumn.passwordPepper`).
struct PasswordPepper: Sendable {
    static let schema = "password_peppers"
    /// Its one row.
    static let row = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!

    private let bytes: Data

    init(bytes: Data) { self.bytes = bytes }

    /// What bcrypt hashes: HMAC-SHA256 of the password under the pepper, in base64 (44 bytes,
    /// within bcrypt's 72).
    func mix(_ password: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(password.utf8), using: SymmetricKey(data: bytes)))
            .base64EncodedString()
    }

    /// The pepper, made the first time; nil without the secrets key (a command that touches
    /// no secret). Instances starting at once keep whichever was stored first. Once a hash
    /// has been made with it, a missing pepper stops the start (`Lost`): a new one would match
    /// no password, and every sign-in would fail as a wrong one.
    static func load(_ app: Application) async throws -> PasswordPepper? {
        guard let keys = app.secrets else { return nil }
        let sql = app.db.sql
        let column = SealedColumn.passwordPepper
        if let stored = try await sql.raw("SELECT pepper FROM \(ident: schema) WHERE id = \(bind: row)").first() {
            let opened = try column.open(try stored.decode(column: "pepper", as: String.self), row: row, keys: keys)
            guard let bytes = Data(base64Encoded: opened), bytes.count == 32 else { throw Unreadable() }
            return PasswordPepper(bytes: bytes)
        }
        let peppered = try await sql.raw(
            "SELECT 1 AS one FROM practitioners WHERE password_hash LIKE \(bind: Passwords.peppered + "%") LIMIT 1"
        ).first()
        guard peppered == nil else { throw Lost() }
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        try await sql.raw(
            """
            INSERT INTO \(ident: schema) (id, pepper) VALUES (\(bind: row), \(bind: try column.seal(fresh, row: row, keys: keys)))
            ON CONFLICT (id) DO NOTHING
            """
        ).run()
        return try await load(app)
    }

    struct Lost: Error, CustomStringConvertible {
        var description: String {
            "The password pepper is missing, but passwords were hashed with it: restore its row (password_peppers) from the backup it was lost from"
        }
    }

    struct Unreadable: Error, CustomStringConvertible {
        var description: String { "The password pepper opened, but is not 32 bytes: it was written around eCAF" }
    }
}

extension Application {
    private struct PasswordPepperKey: StorageKey { typealias Value = PasswordPepper }

    /// Loaded at start-up (`Startup`), after the secrets are sealed.
    var passwordPepper: PasswordPepper? {
        get { storage[PasswordPepperKey.self] }
        set { storage[PasswordPepperKey.self] = newValue }
    }

    func requirePepper() throws -> PasswordPepper {
        guard let passwordPepper else { throw SecretKeys.Missing() }
        return passwordPepper
    }
}
