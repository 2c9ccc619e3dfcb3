import Crypto
import Foundation
import Testing
import WebAuthnTesting

@testable import WebAuthn

@Suite struct RelyingPartyTests {
    let site = RelyingParty(id: "ecaf.example.gov.uk", origin: "https://ecaf.example.gov.uk")
    let challenge = RelyingParty.newChallenge()

    func register(_ key: SoftwareKey, origin: String? = nil, type: String = "webauthn.create", format: String = "none")
        throws -> NewCredential
    {
        try site.register(
            attestationObject: key.attestationObject(format: format),
            clientDataJSON: SoftwareKey.clientData(type: type, challenge: challenge, origin: origin ?? site.origin),
            challenge: challenge)
    }

    @Test func aKeyIsAddedWithItsIdAndPublicKey() throws {
        let key = SoftwareKey()
        let credential = try register(key)
        #expect(credential.id == key.credentialID)
        #expect(credential.publicKey == Array(key.key.publicKey.x963Representation))
        #expect(credential.signCount == 0)
    }

    @Test func anAnswerRelayedByAnotherSiteIsRefused() throws {
        // A phishing page at a look-alike address relays the person's key: the browser writes
        // the page's own origin into what the key signs.
        #expect(throws: WebAuthnError.wrongOrigin("https://ecaf.example-gov.uk")) {
            try register(SoftwareKey(), origin: "https://ecaf.example-gov.uk")
        }
        let key = SoftwareKey()
        let stored = try register(key)
        let relayed = try key.assertion(challenge: challenge, origin: "http://ecaf.example.gov.uk", count: 1)
        #expect(throws: WebAuthnError.wrongOrigin("http://ecaf.example.gov.uk")) {
            try site.authenticate(
                authenticatorData: relayed.authenticatorData, clientDataJSON: relayed.clientDataJSON,
                signature: relayed.signature, challenge: challenge, publicKey: stored.publicKey, storedSignCount: 0)
        }
    }

    @Test func aKeyScopedToAnotherSiteIsRefused() {
        var key = SoftwareKey()
        key.relyingPartyID = "example.gov.uk"
        #expect(throws: WebAuthnError.wrongRelyingParty) { try register(key) }
    }

    @Test func anotherChallengeOrCeremonyIsRefused() throws {
        let key = SoftwareKey()
        #expect(throws: WebAuthnError.wrongType) { try register(key, type: "webauthn.get") }
        #expect(throws: WebAuthnError.wrongChallenge) {
            try site.register(
                attestationObject: key.attestationObject(),
                clientDataJSON: SoftwareKey.clientData(
                    type: "webauthn.create", challenge: RelyingParty.newChallenge(), origin: site.origin),
                challenge: challenge)
        }
    }

    @Test func aKeyNobodyTouchedIsRefused() {
        var key = SoftwareKey()
        key.flags = 0x00
        #expect(throws: WebAuthnError.userNotPresent) { try register(key) }
    }

    @Test func onlyAttestationNoneIsAccepted() {
        #expect(throws: WebAuthnError.unsupportedAttestation("packed")) { try register(SoftwareKey(), format: "packed") }
    }

    @Test func onlyES256KeysAreAccepted() {
        // The same P-256 point claimed for ECDH-ES (-25), and for RS256 (-257).
        for algorithm in [-25, -257] {
            var key = SoftwareKey()
            key.algorithm = algorithm
            #expect(throws: WebAuthnError.unsupportedAlgorithm) { try register(key) }
        }
    }

    @Test func aSignedAnswerSignsIn() throws {
        let key = SoftwareKey()
        let stored = try register(key)
        let answer = try key.assertion(challenge: challenge, origin: site.origin, count: 5)
        let count = try site.authenticate(
            authenticatorData: answer.authenticatorData, clientDataJSON: answer.clientDataJSON, signature: answer.signature,
            challenge: challenge, publicKey: stored.publicKey, storedSignCount: 4)
        #expect(count == 5)
    }

    @Test func aSignInAnswerCarryingANewKeyIsRefused() throws {
        let key = SoftwareKey()
        let stored = try register(key)
        let data = key.authenticatorData(count: 1, withCredential: true)
        let client = SoftwareKey.clientData(type: "webauthn.get", challenge: challenge, origin: site.origin)
        let signature = try key.key.signature(for: data + Array(SHA256.hash(data: client)))
        #expect(throws: WebAuthnError.malformed("a new key in a sign-in's answer")) {
            try site.authenticate(
                authenticatorData: data, clientDataJSON: client, signature: Array(signature.derRepresentation),
                challenge: challenge, publicKey: stored.publicKey, storedSignCount: 0)
        }
    }

    @Test func anotherKeysSignatureIsRefused() throws {
        let stored = try register(SoftwareKey())
        let answer = try SoftwareKey().assertion(challenge: challenge, origin: site.origin, count: 1)
        #expect(throws: WebAuthnError.badSignature) {
            try site.authenticate(
                authenticatorData: answer.authenticatorData, clientDataJSON: answer.clientDataJSON,
                signature: answer.signature, challenge: challenge, publicKey: stored.publicKey, storedSignCount: 0)
        }
        // The right key's signature over other data: the flags changed after signing.
        let key = SoftwareKey()
        let mine = try register(key)
        var signed = try key.assertion(challenge: challenge, origin: site.origin, count: 1)
        signed.authenticatorData[32] |= 0x04
        #expect(throws: WebAuthnError.badSignature) {
            try site.authenticate(
                authenticatorData: signed.authenticatorData, clientDataJSON: signed.clientDataJSON,
                signature: signed.signature, challenge: challenge, publicKey: mine.publicKey, storedSignCount: 0)
        }
    }

    @Test func aCounterThatDoesNotMoveOnIsRefusedUnlessTheKeyNeverCounts() throws {
        let key = SoftwareKey()
        let stored = try register(key)
        func authenticate(_ count: UInt32, after stored: UInt32, with credential: NewCredential) throws -> UInt32 {
            let answer = try key.assertion(challenge: challenge, origin: site.origin, count: count)
            return try site.authenticate(
                authenticatorData: answer.authenticatorData, clientDataJSON: answer.clientDataJSON,
                signature: answer.signature, challenge: challenge, publicKey: credential.publicKey,
                storedSignCount: stored)
        }
        #expect(throws: WebAuthnError.counterWentBack(stored: 7, sent: 7)) { try authenticate(7, after: 7, with: stored) }
        #expect(throws: WebAuthnError.counterWentBack(stored: 7, sent: 3)) { try authenticate(3, after: 7, with: stored) }
        #expect(throws: WebAuthnError.counterWentBack(stored: 7, sent: 0)) { try authenticate(0, after: 7, with: stored) }
        #expect(try authenticate(0, after: 0, with: stored) == 0)
    }

    @Test func theSiteComesFromItsPublicAddress() throws {
        let local = try #require(RelyingParty(publicURL: "http://localhost:8080/"))
        #expect(local.id == "localhost" && local.origin == "http://localhost:8080")
        let live = try #require(RelyingParty(publicURL: "https://ecaf.example.gov.uk"))
        #expect(live.id == "ecaf.example.gov.uk" && live.origin == "https://ecaf.example.gov.uk")
        let written = try #require(RelyingParty(publicURL: "HTTPS://eCAF.Example.gov.uk:443/ecaf/"))
        #expect(written.id == "ecaf.example.gov.uk" && written.origin == "https://ecaf.example.gov.uk")
        #expect(RelyingParty(publicURL: "not a url") == nil)
    }
}

@Suite struct HostileInputTests {
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
