import Crypto
import Foundation
import Testing
import WebAuthnTesting

@testable import WebAuthn

@Suite struct CBORTests {
    @Test func malformedCBORIsRefusedNeverTrusted() {
        let cases: [[UInt8]] = [
            [],
            [0x5A, 0xFF, 0xFF, 0xFF, 0xFF],  // a byte string claiming 4 GB
            [0x9B] + [UInt8](repeating: 0xFF, count: 8),  // an array claiming 2^64 items
            [0x5F, 0x41, 0x00, 0xFF],  // indefinite length
            [UInt8](repeating: 0x81, count: 64) + [0x00],  // nested past the limit
            [0xA2, 0x01, 0x00, 0x01, 0x00],  // a key twice
            [0x62, 0xC3, 0x28],  // text that is not UTF-8
            [0xC2, 0x40],  // a tag
            [0xFB, 0, 0, 0, 0, 0, 0, 0, 0],  // a float
            [0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // a negative past Int64
            [0x00, 0x00],  // bytes after the item
        ]
        for bytes in cases {
            #expect(throws: WebAuthnError.self, "\(bytes.prefix(6))") { try CBOR.decode(bytes) }
        }
    }

    @Test func randomBytesNeverCrashTheChecks() {
        var generator = SystemRandomNumberGenerator()
        let site = RelyingParty(id: "ecaf.example.gov.uk", origin: "https://ecaf.example.gov.uk")
        let valid = SoftwareKey().attestationObject()
        let challenge = RelyingParty.newChallenge()
        let client = SoftwareKey.clientData(type: "webauthn.create", challenge: challenge, origin: site.origin)
        // Unharmed, the object is accepted, so the harmed ones reach the CBOR and key checks.
        #expect((try? site.register(attestationObject: valid, clientDataJSON: client, challenge: challenge)) != nil)
        for round in 0..<2000 {
            var bytes = valid
            // Flip a few bytes of a valid object, or cut it short.
            for _ in 0..<(1 + round % 4) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 5 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator))) }
            _ = try? site.register(attestationObject: bytes, clientDataJSON: client, challenge: challenge)
            _ = try? CBOR.decode(bytes)
            _ = try? AuthenticatorData(Array(bytes.suffix(from: min(bytes.count, 40))))
        }
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("\"><") == nil)
        #expect(Base64URL.decode(Base64URL.encode([0xFB, 0xFF, 0x01])) == [0xFB, 0xFF, 0x01])
    }
}
