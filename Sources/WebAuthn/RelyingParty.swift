import Crypto
import Foundation

/// Why a security key's answer was refused. Each names the check that failed, for the audit
/// log; the person is told only that the key's answer was not accepted.
public enum WebAuthnError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    /// The browser was asked for something else (a sign-in's answer sent to enrol, say).
    case wrongType
    /// Not the challenge this server gave: an old answer replayed, or another session's.
    case wrongChallenge
    /// Signed for another site: a phishing page relaying the person's key.
    case wrongOrigin(String)
    /// The authenticator scoped the key to another relying party.
    case wrongRelyingParty
    case userNotPresent
    case unsupportedAlgorithm
    case unsupportedAttestation(String)
    case badSignature
    /// The key's counter did not move forward: a copy of the key, or an answer replayed.
    case counterWentBack(stored: UInt32, sent: UInt32)

    public var description: String {
        switch self {
        case .malformed(let what): "malformed: \(what)"
        case .wrongType: "wrong ceremony type"
        case .wrongChallenge: "wrong challenge"
        case .wrongOrigin(let origin): "wrong origin \(origin.prefix(100))"
        case .wrongRelyingParty: "wrong relying party"
        case .userNotPresent: "user not present"
        case .unsupportedAlgorithm: "unsupported algorithm"
        case .unsupportedAttestation(let format): "unsupported attestation \(format.prefix(40))"
        case .badSignature: "bad signature"
        case .counterWentBack(let stored, let sent): "counter went back (stored \(stored), sent \(sent))"
        }
    }
}

/// A security key just added: what the server keeps to check its later answers.
public struct NewCredential: Equatable, Sendable {
    public let id: [UInt8]
    /// The P-256 public key, uncompressed (X9.63).
    public let publicKey: [UInt8]
    public let signCount: UInt32
}

/// The server's side of Web Authentication (W3C WebAuthn Level 2, §7) for one site: adding a
/// security key (registration) and checking one at sign-in (assertion). ES256 keys only, and
/// attestation "none": eCAF asks for no attestation and trusts none, as any FIDO key will do.
public struct RelyingParty: Sendable {
    /// The site's host name, to which browsers scope every key ("ecaf.example.gov.uk").
    public let id: String
    /// Where the pages are served, exactly as a browser names it ("https://ecaf.example.gov.uk").
    public let origin: String

    /// ES256 in COSE (RFC 9053): the only algorithm offered and accepted.
    public static let es256 = -7

    public init(id: String, origin: String) {
        self.id = id
        self.origin = origin
    }

    /// The origin and relying party id of a site's public address, as a browser writes them:
    /// scheme and host in lower case, and the port unless it is the scheme's own.
    public init?(publicURL: String) {
        guard let url = URL(string: publicURL), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(),
            !host.isEmpty
        else { return nil }
        let port = url.port.flatMap { port in
            (scheme == "http" && port == 80) || (scheme == "https" && port == 443) ? nil : ":\(port)"
        }
        self.init(id: host, origin: "\(scheme)://\(host)" + (port ?? ""))
    }

    /// A fresh challenge: 32 random bytes, used once.
    public static func newChallenge() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Checks the answer to `navigator.credentials.create` (§7.1) and returns the new key.
    public func register(attestationObject: [UInt8], clientDataJSON: [UInt8], challenge: [UInt8]) throws
        -> NewCredential
    {
        try checkClientData(clientDataJSON, type: "webauthn.create", challenge: challenge)
        let attestation = try CBOR.decode(attestationObject)
        guard case .text(let format)? = attestation[.text("fmt")] else {
            throw WebAuthnError.malformed("no attestation format")
        }
        guard format == "none", attestation[.text("attStmt")] == .map([]) else {
            throw WebAuthnError.unsupportedAttestation(format)
        }
        guard case .bytes(let authData)? = attestation[.text("authData")] else {
            throw WebAuthnError.malformed("no authenticator data")
        }
        let data = try AuthenticatorData(authData)
        try check(data)
        guard let credential = data.credential else { throw WebAuthnError.malformed("no attested credential") }
        return NewCredential(id: credential.id, publicKey: credential.publicKey, signCount: data.signCount)
    }

    /// Checks the answer to `navigator.credentials.get` (§7.2) against the key stored for
    /// this credential, and returns the key's new counter to store.
    public func authenticate(
        authenticatorData: [UInt8], clientDataJSON: [UInt8], signature: [UInt8], challenge: [UInt8],
        publicKey: [UInt8], storedSignCount: UInt32
    ) throws -> UInt32 {
        try checkClientData(clientDataJSON, type: "webauthn.get", challenge: challenge)
        let data = try AuthenticatorData(authenticatorData)
        try check(data)
        guard data.credential == nil else { throw WebAuthnError.malformed("a new key in a sign-in's answer") }
        guard let key = try? P256.Signing.PublicKey(x963Representation: publicKey),
            let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature),
            key.isValidSignature(ecdsa, for: authenticatorData + Array(SHA256.hash(data: clientDataJSON)))
        else { throw WebAuthnError.badSignature }
        // A key that counts must count up; one that keeps 0 (many passkeys) cannot be checked.
        if data.signCount != 0 || storedSignCount != 0, data.signCount <= storedSignCount {
            throw WebAuthnError.counterWentBack(stored: storedSignCount, sent: data.signCount)
        }
        return data.signCount
    }

    private struct ClientData: Decodable {
        let type: String
        let challenge: String
        let origin: String
        let crossOrigin: Bool?
    }

    private func checkClientData(_ json: [UInt8], type: String, challenge: [UInt8]) throws {
        guard let client = try? JSONDecoder().decode(ClientData.self, from: Data(json)) else {
            throw WebAuthnError.malformed("client data is not the JSON a browser sends")
        }
        guard client.type == type else { throw WebAuthnError.wrongType }
        guard let sent = Base64URL.decode(client.challenge), sent == challenge else { throw WebAuthnError.wrongChallenge }
        guard client.origin == origin, client.crossOrigin != true else { throw WebAuthnError.wrongOrigin(client.origin) }
    }

    private func check(_ data: AuthenticatorData) throws {
        guard data.relyingPartyIDHash == Array(SHA256.hash(data: Array(id.utf8))) else {
            throw WebAuthnError.wrongRelyingParty
        }
        guard data.userPresent else { throw WebAuthnError.userNotPresent }
    }
}

/// The authenticator's own signed record (§6.1): which site, the flags, the counter and, when
/// a key is made, the key itself.
struct AuthenticatorData {
    struct Credential {
        let id: [UInt8]
        let publicKey: [UInt8]
    }

    let relyingPartyIDHash: [UInt8]
    let userPresent: Bool
    let signCount: UInt32
    let credential: Credential?

    /// Credential ids are at most 1,023 bytes (§5.8.3).
    static let longestCredentialID = 1023

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 37 else { throw WebAuthnError.malformed("authenticator data shorter than 37 bytes") }
        relyingPartyIDHash = Array(bytes[0..<32])
        let flags = bytes[32]
        userPresent = flags & 0x01 != 0
        signCount = bytes[33..<37].reduce(0) { $0 << 8 | UInt32($1) }
        let hasCredential = flags & 0x40 != 0
        let hasExtensions = flags & 0x80 != 0
        var rest = bytes[37...]
        if hasCredential {
            guard rest.count >= 18 else { throw WebAuthnError.malformed("attested credential data cut short") }
            let idLength = Int(rest[rest.startIndex + 16]) << 8 | Int(rest[rest.startIndex + 17])
            let idStart = rest.startIndex + 18
            guard idLength > 0, idLength <= Self.longestCredentialID, rest.endIndex - idStart >= idLength else {
                throw WebAuthnError.malformed("a credential id of a length no key gives")
            }
            let id = Array(rest[idStart..<idStart + idLength])
            let (key, used) = try CBOR.decodePrefix(rest[(idStart + idLength)...])
            credential = Credential(id: id, publicKey: try Self.es256Key(key))
            rest = rest[(idStart + idLength + used)...]
        } else {
            credential = nil
        }
        if hasExtensions {
            let (extensions, used) = try CBOR.decodePrefix(rest)
            guard case .map = extensions else { throw WebAuthnError.malformed("extensions that are not a map") }
            rest = rest.dropFirst(used)
        }
        guard rest.isEmpty else { throw WebAuthnError.malformed("bytes follow the authenticator data") }
    }

    /// A COSE_Key (RFC 9053) for ES256 on P-256, as X9.63: kty 2, alg -7, crv 1, x and y.
    static func es256Key(_ key: CBOR) throws -> [UInt8] {
        guard key[.unsigned(1)] == .unsigned(2), key[.unsigned(3)] == .negative(Int64(RelyingParty.es256)),
            key[.negative(-1)] == .unsigned(1), case .bytes(let x)? = key[.negative(-2)],
            case .bytes(let y)? = key[.negative(-3)], x.count == 32, y.count == 32,
            let point = try? P256.Signing.PublicKey(x963Representation: [0x04] + x + y)
        else { throw WebAuthnError.unsupportedAlgorithm }
        return Array(point.x963Representation)
    }
}

/// Base64url without padding (RFC 4648 §5), as WebAuthn writes binary in JSON.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Nil unless every character is of the url-safe alphabet (padding tolerated).
    public static func decode(_ text: String) -> [UInt8]? {
        var body = Substring(text)
        while body.hasSuffix("=") { body = body.dropLast() }
        guard body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        let standard = body.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return Data(base64Encoded: standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)).map(Array.init)
    }
}
