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
/// the column and row it belongs to, so it cannot be moved to another (an assessment into
/// the outbox, to be mailed out).
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
        Hex.string(key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(4))
    }

    /// "v2:<key fingerprint>:<base64 of nonce, ciphertext and tag>", bound to `context` (what
    /// and whose it is: `SealedColumn.context`) as authenticated data.
    func seal(_ plain: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(plain.utf8), using: current, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SealFailure() }
        return sealedPrefix + combined.base64EncodedString()
    }

    /// The plain text of a value sealed for `context`, under whichever known key sealed it.
    func open(_ sealed: String, context: String) throws -> String {
        guard let value = Sealed(sealed), value.version == 2 else { throw SealFailure() }
        return try open(value, context: context)
    }

    /// Tries every known key with the value's fingerprint (four bytes may, rarely, collide).
    func open(_ value: Sealed, context: String) throws -> String {
        let box = try AES.GCM.SealedBox(combined: value.data)
        for key in [current] + older where Self.fingerprint(key) == value.fingerprint {
            if let plain = try? AES.GCM.open(box, using: key, authenticating: Data(context.utf8)) {
                return String(decoding: plain, as: UTF8.self)
            }
        }
        throw SealFailure()
    }

    /// How a value sealed under the current key begins.
    var sealedPrefix: String { Self.prefix(current) }

    /// How values sealed under a key begin, in this version and the one before.
    static func prefix(_ key: SymmetricKey, version: Int = 2) -> String { "v\(version):\(fingerprint(key)):" }

    /// Sealed under the current key already.
    func isCurrent(_ sealed: String) -> Bool { sealed.hasPrefix(sealedPrefix) }

    /// A sealed value's parts; nil for anything else, which is text in clear however it
    /// begins. Version 1 was bound to the bare row id; version 2 also names the column.
    struct Sealed {
        let version: Int
        let fingerprint: String
        let data: Data

        init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let version = ["v1": 1, "v2": 2][String(parts[0])],
                parts[1].count == 8, parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
                let data = Data(base64Encoded: String(parts[2])), data.count >= 28  // nonce and tag
            else { return nil }
            (self.version, fingerprint, self.data) = (version, String(parts[1]), data)
        }
    }

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

extension SecretKeys {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "ECAF_SECRETS_KEY is not set: secrets cannot be sealed or opened without it" }
    }
}
