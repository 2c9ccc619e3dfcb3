import Foundation
import Testing

@testable import OneTimePasswords

@Suite struct TOTPTests {
    /// RFC 6238 Appendix B: the seeds and the eight-digit codes at each time.
    static let seeds: [TOTP.Algorithm: String] = [
        .sha1: "12345678901234567890", .sha256: "12345678901234567890123456789012",
        .sha512: "1234567890123456789012345678901234567890123456789012345678901234",
    ]
    static let vectors: [(time: Int64, sha1: String, sha256: String, sha512: String)] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ]

    @Test func rfc6238TestVectors() {
        for vector in Self.vectors {
            let step = TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(vector.time)))
            for (algorithm, expected) in [(TOTP.Algorithm.sha1, vector.sha1), (.sha256, vector.sha256), (.sha512, vector.sha512)]
            {
                let secret = Array(Self.seeds[algorithm]!.utf8)
                #expect(TOTP.code(secret: secret, step: step, digits: 8, algorithm: algorithm) == expected, "\(vector.time)")
            }
        }
    }

    @Test func codesAreAcceptedOneStepEitherSideAndNoFurther() {
        let secret = Array("12345678901234567890".utf8)
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let step = TOTP.step(at: now)
        for offset in Int64(-1)...1 {
            let code = TOTP.code(secret: secret, step: step + offset)
            #expect(TOTP.matchingStep(code, secret: secret, at: now) == step + offset)
        }
        for offset: Int64 in [-2, 2] {
            #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: step + offset), secret: secret, at: now) == nil)
        }
        #expect(TOTP.matchingStep("12345", secret: secret, at: now) == nil)
        #expect(TOTP.matchingStep("１２３４５６", secret: secret, at: now) == nil)
    }

    @Test func base32RoundTripsRFC4648Vectors() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("M1") == nil)
        let secret = TOTP.newSecret()
        #expect(secret.count == 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
    }

    @Test func theAuthenticatorAddressNamesTheAccountAndIssuer() {
        let uri = TOTP.uri(secret: Array("foobar".utf8), account: "amy@demo.test")
        #expect(uri == "otpauth://totp/eCAF%3Aamy@demo.test?secret=MZXW6YTBOI&issuer=eCAF&algorithm=SHA1&digits=6&period=30")
    }
}
