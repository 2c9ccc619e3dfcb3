import Crypto
import WebAuthn

/// A software authenticator: a real P-256 key making the answers a browser would pass on, so
/// each check of the relying party is tried with one thing wrong at a time.
public struct SoftwareKey {
    public init(relyingPartyID: String = "ecaf.example.gov.uk") { self.relyingPartyID = relyingPartyID }

    public let key = P256.Signing.PrivateKey()
    public let credentialID: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }
    public var relyingPartyID: String
    public var flags: UInt8 = 0x01
    /// The COSE algorithm its public key claims: ES256 (-7) unless a test says otherwise.
    public var algorithm = -7

    public static func encode(_ item: TestCBOR) -> [UInt8] {
        func head(_ major: UInt8, _ value: UInt64) -> [UInt8] {
            switch value {
            case 0..<24: [major << 5 | UInt8(value)]
            case 24..<256: [major << 5 | 24, UInt8(value)]
            case 256..<65536: [major << 5 | 25, UInt8(value >> 8), UInt8(value & 0xFF)]
            default: [major << 5 | 26] + (0..<4).reversed().map { UInt8(value >> (8 * UInt64($0)) & 0xFF) }
            }
        }
        switch item {
        case .int(let n): return n >= 0 ? head(0, UInt64(n)) : head(1, UInt64(-1 - n))
        case .bytes(let b): return head(2, UInt64(b.count)) + b
        case .text(let t): return head(3, UInt64(t.utf8.count)) + Array(t.utf8)
        case .map(let entries): return head(5, UInt64(entries.count)) + entries.flatMap { encode($0.0) + encode($0.1) }
        }
    }

    public var coseKey: [UInt8] {
        let point = Array(key.publicKey.x963Representation)
        return Self.encode(
            .map([
                (.int(1), .int(2)), (.int(3), .int(algorithm)), (.int(-1), .int(1)), (.int(-2), .bytes(Array(point[1..<33]))),
                (.int(-3), .bytes(Array(point[33..<65]))),
            ]))
    }

    public func authenticatorData(count: UInt32, withCredential: Bool) -> [UInt8] {
        var data = Array(SHA256.hash(data: Array(relyingPartyID.utf8)))
        data.append(withCredential ? flags | 0x40 : flags)
        data += (0..<4).reversed().map { UInt8(count >> (8 * UInt32($0)) & 0xFF) }
        if withCredential {
            data += [UInt8](repeating: 0, count: 16) + [0, UInt8(credentialID.count)] + credentialID + coseKey
        }
        return data
    }

    public static func clientData(type: String, challenge: [UInt8], origin: String) -> [UInt8] {
        Array(
            #"{"type":"\#(type)","challenge":"\#(Base64URL.encode(challenge))","origin":"\#(origin)","crossOrigin":false}"#.utf8)
    }

    public func attestationObject(format: String = "none", count: UInt32 = 0) -> [UInt8] {
        Self.encode(
            .map([
                (.text("fmt"), .text(format)), (.text("attStmt"), .map([])),
                (.text("authData"), .bytes(authenticatorData(count: count, withCredential: true))),
            ]))
    }

    public func assertion(challenge: [UInt8], origin: String, count: UInt32) throws -> (
        authenticatorData: [UInt8], clientDataJSON: [UInt8], signature: [UInt8]
    ) {
        let data = authenticatorData(count: count, withCredential: false)
        let client = Self.clientData(type: "webauthn.get", challenge: challenge, origin: origin)
        let signature = try key.signature(for: data + Array(SHA256.hash(data: client)))
        return (data, client, Array(signature.derRepresentation))
    }
}

public indirect enum TestCBOR {
    case int(Int)
    case bytes([UInt8])
    case text(String)
    case map([(TestCBOR, TestCBOR)])
}
