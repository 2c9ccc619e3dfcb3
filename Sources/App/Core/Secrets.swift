import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Secrets kept at rest (TOTP secrets, e-mail bodies until sent) and the case narrative
/// (`SealedColumn.all`) are sealed with AES-256-GCM under a key from the environment: ECAF_SECRETS_KEY, 32 random bytes in base64. To rotate,
/// set the new key there and the old one in ECAF_SECRETS_OLD_KEYS (comma-separated) and
/// restart: every sealed value is sealed again under the new key at start-up, and the old
/// key can then go. Each sealed value names its key by a short fingerprint, and is bound to
/// the row it belongs to (the account, the message, the assessment), so it cannot be moved to
/// another.
struct SecretKeys: Sendable {
    /// Key bytes (swift-crypto's `SymmetricKey` is not `Sendable`); keys are made per use.
    private let currentBytes: Data
    private let olderBytes: [Data]

    var current: SymmetricKey { SymmetricKey(data: currentBytes) }
    var older: [SymmetricKey] { olderBytes.map { SymmetricKey(data: $0) } }

    init(current: SymmetricKey, older: [SymmetricKey]) {
        currentBytes = current.withUnsafeBytes { Data($0) }
        olderBytes = older.map { $0.withUnsafeBytes { Data($0) } }
    }

    /// The demo's key: fixed, so a demo database reads its own secrets after a restart, and
    /// worthless, as a demo holds nothing real. Never used outside `--demo` and the tests.
    static let demo = SecretKeys(current: SymmetricKey(data: SHA256.hash(data: Data("eCAF demo only".utf8))), older: [])

    static func random() -> SecretKeys { SecretKeys(current: SymmetricKey(size: .bits256), older: []) }

    /// From the environment, or the demo's under `--demo`; nil (and a problem named) when
    /// missing or not a 32-byte key outside it. Never the demo's key for a real database.
    static func fromEnvironment(_ env: [String: String], demo: Bool, problems: inout [String]) -> SecretKeys? {
        func key(_ text: Substring) -> SymmetricKey? {
            Data(base64Encoded: String(text.trimmingCharacters(in: .whitespaces))).flatMap {
                $0.count == 32 ? SymmetricKey(data: $0) : nil
            }
        }
        guard let text = env["ECAF_SECRETS_KEY"], !text.isEmpty else {
            if demo { return .demo }
            problems.append("ECAF_SECRETS_KEY (32 random bytes in base64: openssl rand -base64 32)")
            return nil
        }
        guard let current = key(Substring(text)) else {
            problems.append("ECAF_SECRETS_KEY as 32 random bytes in base64")
            return nil
        }
        let olderText = (env["ECAF_SECRETS_OLD_KEYS"] ?? "").split(separator: ",")
        let older = olderText.compactMap(key)
        if older.count != olderText.count { problems.append("ECAF_SECRETS_OLD_KEYS as base64 keys, comma-separated") }
        return SecretKeys(current: current, older: older)
    }

    static func fingerprint(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// "v1:<key fingerprint>:<base64 of nonce, ciphertext and tag>", bound to `context` (the
    /// id of the row it is kept in) as authenticated data.
    func seal(_ plain: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(plain.utf8), using: current, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SealFailure() }
        return sealedPrefix + combined.base64EncodedString()
    }

    /// The plain text of a sealed value, under whichever known key sealed it, for the row it
    /// was sealed for.
    func open(_ sealed: String, context: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "v1",
            let key = ([current] + older).first(where: { Self.fingerprint($0) == parts[1] }),
            let data = Data(base64Encoded: parts[2])
        else { throw SealFailure() }
        let plain = try AES.GCM.open(
            try AES.GCM.SealedBox(combined: data), using: key, authenticating: Data(context.utf8))
        return String(decoding: plain, as: UTF8.self)
    }

    /// Plain text, whether sealed under any key or stored in clear (before sealing began,
    /// or by an instance of the release before during an upgrade; start-up seals it).
    func reopen(_ stored: String, context: String) throws -> String {
        stored.hasPrefix("v1:") ? try open(stored, context: context) : stored
    }

    /// How a value sealed under the current key begins.
    var sealedPrefix: String { "v1:\(Self.fingerprint(current)):" }

    /// Sealed under the current key already.
    func isCurrent(_ sealed: String) -> Bool { sealed.hasPrefix(sealedPrefix) }

    struct SealFailure: Error, CustomStringConvertible {
        var description: String {
            "a sealed secret could not be opened with any key eCAF was given: set the key it was sealed with in ECAF_SECRETS_OLD_KEYS"
        }
    }
}

extension Application {
    private struct SecretKeysKey: StorageKey { typealias Value = SecretKeys }

    /// The key secrets are sealed with; nil when a command runs without ECAF_SECRETS_KEY
    /// (`serve` refuses to start so; others touch no secret).
    var secrets: SecretKeys? {
        get { storage[SecretKeysKey.self] }
        set { storage[SecretKeysKey.self] = newValue }
    }

    func requireSecrets() throws -> SecretKeys {
        guard let secrets else { throw SecretKeys.Missing() }
        return secrets
    }
}

extension Request {
    var secrets: SecretKeys { get throws { try application.requireSecrets() } }
}

extension SecretKeys {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "ECAF_SECRETS_KEY is not set: secrets cannot be sealed or opened without it" }
    }
}

/// A column whose values are kept sealed, each bound to its row's `id`.
struct SealedColumn: Sendable {
    let table: String
    let column: String
    /// Values are kept sealed only while this column is null (a message, until it is sent).
    var whileNull: String? = nil

    /// Every column sealed at rest: the secrets, and what practitioners write about a child
    /// and family. What the index searches (names, dates of birth, postcodes) stays clear:
    /// a deployment's encrypted volumes protect it (docs/data.md).
    static let all = [
        SealedColumn(table: "practitioners", column: "totp_secret"),
        SealedColumn(table: "outbox_messages", column: "body", whileNull: "sent_at"),
        SealedColumn(table: "assessments", column: "content"),
        SealedColumn(table: "pre_assessments", column: "answers"),
        SealedColumn(table: "pre_assessments", column: "reason"),
    ]
}

/// At start-up, every value at rest not sealed under the current key is sealed again: one
/// stored in clear before sealing began (or by an instance of the release before, serving
/// during an upgrade), or under a key being rotated out. Rows are taken a few hundred at a
/// time in id order, and each is replaced only if unchanged meanwhile (another server may
/// have saved it, or sent and erased a body). A value no key opens stops the start, naming
/// what to set, rather than being lost or left in clear. Without a key (a command run
/// without ECAF_SECRETS_KEY) nothing is touched.
enum SecretSealing {
    static func sealAll(_ app: Application) async throws {
        guard let keys = app.secrets else { return }
        let sql = app.db as! any SQLDatabase
        // First, that no key is missing: otherwise a value in clear, sealed under a wrong key
        // before the start stopped, would open with the right one no more.
        for column in SealedColumn.all { try await requireKnownKeys(column, keys, on: sql) }
        for column in SealedColumn.all { try await seal(column, keys, on: sql) }
    }

    static func requireKnownKeys(_ sealed: SealedColumn, _ keys: SecretKeys, on sql: any SQLDatabase) async throws {
        let column = sealed.column
        let known = ([keys.current] + keys.older).map { "v1:\(SecretKeys.fingerprint($0)):" }
        let unknown = try await sql.raw(
            """
            SELECT id FROM \(ident: sealed.table) WHERE substr(\(ident: column), 1, 3) = 'v1:'
            AND substr(\(ident: column), 1, \(literal: keys.sealedPrefix.count)) NOT IN (\(binds: known)) LIMIT 1
            """
        ).first()
        if unknown != nil { throw SecretKeys.SealFailure() }
    }

    static func seal(_ sealed: SealedColumn, _ keys: SecretKeys, on sql: any SQLDatabase, pageSize: Int = 500)
        async throws
    {
        let (table, column) = (sealed.table, sealed.column)
        var after: UUID? = nil
        while true {
            let from: SQLQueryString = after.map { "AND id > \(bind: $0)" } ?? ""
            let only: SQLQueryString = sealed.whileNull.map { "AND \(ident: $0) IS NULL" } ?? ""
            let rows = try await sql.raw(
                """
                SELECT id, \(ident: column) AS value FROM \(ident: table)
                WHERE \(ident: column) IS NOT NULL AND \(ident: column) <> '' \(only)
                AND substr(\(ident: column), 1, \(literal: keys.sealedPrefix.count)) <> \(bind: keys.sealedPrefix) \(from)
                ORDER BY id LIMIT \(literal: pageSize)
                """
            ).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: UUID.self)
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let stored = try row.decode(column: "value", as: String.self)
                let resealed = try keys.seal(try keys.reopen(stored, context: id.uuidString), context: id.uuidString)
                try await sql.raw(
                    """
                    UPDATE \(ident: table) SET \(ident: column) = \(bind: resealed)
                    WHERE id = \(bind: id) AND \(ident: column) = \(bind: stored)
                    """
                ).run()
            }
        }
    }
}
