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
