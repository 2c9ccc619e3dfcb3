import Crypto
import Foundation
import Vapor

/// The audit log's format (docs/audit.md): each event a leaf, the sealer's batches each a
/// Merkle tree (RFC 6962) whose root is chained into a keyed head, each head signed.
enum AuditFormat {
    /// The head before the first batch.
    static let genesis = String(repeating: "0", count: 64)

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The SHA-256 of an event's detail: the leaf commits to this, not to the text, so a
    /// detail can be purged (retention) and the log still verifies.
    static func digest(ofDetail detail: String) -> String { Hex.string(SHA256.hash(data: Data(detail.utf8))) }

    static let emptyDetailDigest = digest(ofDetail: "")

    /// The children an event names, as it keeps them: a JSON array of ids, sorted.
    static func named(_ children: Set<UUID>) -> String {
        "[" + children.map { "\"\($0.uuidString)\"" }.sorted().joined(separator: ",") + "]"
    }

    /// The exact text an event's leaf hashes: every field but the detail, which its digest
    /// stands for; times to the millisecond, which every database keeps unchanged.
    static func canonical(_ event: AuditEvent) -> String {
        [
            "ecaf-audit-event-v2", event.id?.uuidString ?? "", String(event.sequence), String(milliseconds(event.occurredAt)),
            event.actorID?.uuidString ?? "", event.actorEmail, event.actorRoles, event.action,
            event.childID?.uuidString ?? "", event.episodeID?.uuidString ?? "", event.outcome, event.detailDigest,
            event.namedChildren,
        ].map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }
            .joined(separator: "|")
    }

    /// RFC 6962's leaf hash: SHA-256 of 0x00 and the leaf's bytes.
    static func leafHash(_ event: AuditEvent) -> String {
        Hex.string(SHA256.hash(data: Data([0]) + Data(canonical(event).utf8)))
    }

    /// RFC 6962's Merkle tree hash over leaf hashes (hex), split at the largest power of two
    /// below the count; the empty tree hashes nothing.
    static func root(_ leaves: [String]) -> String {
        Hex.string(treeHash(leaves.map { Data(hexString: $0) }[...]))
    }

    private static func treeHash(_ leaves: ArraySlice<Data>) -> Data {
        switch leaves.count {
        case 0: return Data(SHA256.hash(data: Data()))
        case 1: return leaves.first!
        default:
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let left = treeHash(leaves.prefix(split))
            let right = treeHash(leaves.dropFirst(split))
            return Data(SHA256.hash(data: Data([1]) + left + right))
        }
    }

    /// A batch's head: HMAC-SHA-256, under a key the database never holds, of the batch's place
    /// in the log, where the sealer had read to, its root and the head before it. Without the
    /// key no one can make a head for a rewritten batch, or for any after it.
    static func head(of seal: AuditSeal, previous: String, key: AuditKeys) -> String {
        let text = [
            "ecaf-audit-head-v1", String(seal.id ?? 0), String(seal.firstPosition), String(seal.size),
            String(seal.throughTransaction), String(seal.throughSequence), seal.root, previous,
        ].joined(separator: "|")
        return Hex.string(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key.headKey))
    }

    /// What a seal's signature covers: the checkpoint `ecaf audit checkpoint` prints.
    static func checkpointText(batch: Int64, size: Int64, head: String, sealedAt: Date) -> String {
        "eCAF audit checkpoint v1\nbatch \(batch)\nsize \(size)\nhead \(head)\nsealed \(milliseconds(sealedAt))\n"
    }
}

extension Data {
    /// Bytes from lowercase or uppercase hex; a malformed pair reads as zero (only our own
    /// hashes are read so, and a wrong one then fails its comparison).
    init(hexString: String) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(hexString.utf8.count / 2)
        var iterator = hexString.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(Self.nibble(high) << 4 | Self.nibble(low)))
        }
        self.init(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: 0
        }
    }
}

/// The sealer's keys, from the environment (never the database): ECAF_AUDIT_KEY, 32 random
/// bytes in base64, keys each batch's head; ECAF_AUDIT_SIGNING_KEY, an Ed25519 private key's
/// 32 bytes in base64, signs it. Someone who can write the database but holds neither can
/// neither rewrite a sealed event nor seal a forged one.
struct AuditKeys: Sendable {
    private let headBytes: Data
    private let signingBytes: Data

    var headKey: SymmetricKey { SymmetricKey(data: headBytes) }
    var signingKey: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: signingBytes) }
    var publicKey: Curve25519.Signing.PublicKey { signingKey.publicKey }

    init?(head: Data, signing: Data) {
        guard head.count == 32, (try? Curve25519.Signing.PrivateKey(rawRepresentation: signing)) != nil else { return nil }
        (headBytes, signingBytes) = (head, signing)
    }

    /// The demo's keys: fixed, so a demo database verifies after a restart, and worthless.
    static let demo = AuditKeys(
        head: Data(SHA256.hash(data: Data("eCAF demo audit head key".utf8))),
        signing: Data(SHA256.hash(data: Data("eCAF demo audit signing key".utf8))))!

    static func random() -> AuditKeys {
        AuditKeys(
            head: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) },
            signing: Curve25519.Signing.PrivateKey().rawRepresentation)!
    }

    /// From the environment, or the demo's for a demo database; nil (and each problem named)
    /// when missing or malformed.
    static func fromEnvironment(_ env: [String: String], demo: Bool, problems: inout [String]) -> AuditKeys? {
        let head = env["ECAF_AUDIT_KEY"] ?? "", signing = env["ECAF_AUDIT_SIGNING_KEY"] ?? ""
        if head.isEmpty && signing.isEmpty && demo { return .demo }
        let headBytes = Data(base64Encoded: head.trimmingCharacters(in: .whitespaces))
        let signingBytes = Data(base64Encoded: signing.trimmingCharacters(in: .whitespaces))
        if headBytes?.count != 32 { problems.append("ECAF_AUDIT_KEY as 32 random bytes in base64") }
        if signingBytes?.count != 32 {
            problems.append("ECAF_AUDIT_SIGNING_KEY as an Ed25519 private key's 32 bytes in base64")
        }
        guard let headBytes, let signingBytes else { return nil }
        return AuditKeys(head: headBytes, signing: signingBytes)
    }

    func sign(_ text: String) throws -> String { try signingKey.signature(for: Data(text.utf8)).base64EncodedString() }

    func isSigned(_ text: String, by signature: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return publicKey.isValidSignature(bytes, for: Data(text.utf8))
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "ECAF_AUDIT_KEY and ECAF_AUDIT_SIGNING_KEY are not set: the audit log cannot be sealed or verified without them"
        }
    }
}

extension Application {
    private struct AuditKeysKey: StorageKey { typealias Value = AuditKeys }

    /// The sealer's keys; nil when a command runs without them (`serve` refuses to start so).
    var auditKeys: AuditKeys? {
        get { storage[AuditKeysKey.self] }
        set { storage[AuditKeysKey.self] = newValue }
    }

    func requireAuditKeys() throws -> AuditKeys {
        guard let auditKeys else { throw AuditKeys.Missing() }
        return auditKeys
    }
}
