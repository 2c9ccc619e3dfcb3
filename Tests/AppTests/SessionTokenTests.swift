import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Session ids and tokens as ASVS V3.1, V3.2, V6.3 and V8.2 ask: long, from the system's
/// cryptographic generator, never in an address, and gone from the browser at sign-out.
@Suite struct SessionTokenTests {
    typealias Browser = PageTests.Browser
    static let cookieName = "__Host-ecaf_session"

    /// ASVS V3.2.2, V3.2.4: 256 bits each, never repeated, base64url without padding.
    @Test func sessionIdsAndTokensAre256RandomBits() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let cookie = try #require(browser.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let apiToken = try await world.token("amy@demo.test")
            let made = (0..<2000).map { _ in Auth.randomToken() }
            #expect(Set(made).count == made.count)
            for token in [cookie, apiToken] + made.prefix(50) { #expect(Self.bytes(token)?.count == 32, "\(token)") }
            // Every bit of a byte is set in some tokens and clear in others: no fixed bits.
            let bytes = made.compactMap(Self.bytes)
            #expect(bytes.count == made.count)
            let anded = bytes.reduce(UInt8.max) { $0 & $1[3] }
            let ored = bytes.reduce(UInt8.min) { $0 | $1[3] }
            #expect(anded == 0 && ored == .max)
        }
    }

    static func bytes(_ token: String) -> Data? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// ASVS V3.1.1: the session id and API token travel in the cookie and the Authorization
    /// header only, never in a page, link or redirect.
    @Test func noSessionIdOrTokenReachesAnAddressOrAPage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let apiToken = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: apiToken)
            let browser = Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let signIn = try await browser.post(
                SiteURL.signIn.path, [("email", "amy@demo.test"), ("password", TestWorld.password)])
            let cookie = try #require(browser.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init))
            var responses = [signIn]
            for path in [
                SiteURL.home.path, SiteURL.findChild.path, SiteURL.child(created.childID).path,
                SiteURL.episode(created.episodeID).path, SiteURL.sessions.path, SiteURL.changePassword.path,
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                responses.append(page)
            }
            responses.append(try await world.send(.GET, APIURL.me.path, token: apiToken))
            responses.append(try await world.send(.GET, APIURL.child(created.childID).path, token: apiToken))
            for response in responses {
                let visible = response.body.string + (response.headers.first(name: .location) ?? "")
                for secret in [cookie, apiToken, Auth.digest(cookie), Auth.digest(apiToken)] {
                    #expect(!visible.contains(secret))
                }
            }
        }
    }

    /// ASVS V8.2.3: signing out ends the session on the server and tells the browser to
    /// forget the site's storage and cache, and its session cookie with a clearing cookie it
    /// will accept for a `__Host-` name (Secure, Path=/).
    @Test func signingOutClearsTheBrowser() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = Browser(world)
            try await browser.signIn("amy@demo.test")
            let signedIn = try #require(browser.cookie)
            let out = try await browser.post(SiteURL.signOut.path, [])
            #expect(out.status == .seeOther)
            #expect(out.headers.first(name: "Clear-Site-Data") == #""cache", "storage""#)
            let cleared = try #require(out.headers.setCookie?[Self.cookieName])
            #expect(cleared.string.isEmpty && cleared.maxAge == 0 && cleared.path == "/")
            #expect(cleared.isSecure && cleared.isHTTPOnly)
            #expect((cleared.expires ?? .distantFuture) < Date())
            // The old id signs no one in, even sent again.
            let replay = Browser(world)
            replay.cookie = signedIn
            #expect(try await replay.get(SiteURL.home.path).status == .seeOther)
        }
    }

    /// ASVS V6.3.1, V3.2.4: every unguessable value (session ids, tokens, link tokens, TOTP
    /// secrets, keys) comes from the system's cryptographic generator, which Swift's
    /// `random` uses unless it is handed another. Only the demo history, which must repeat,
    /// has its own generator; nothing calls the C library's.
    @Test func everyUnguessableValueComesFromTheSystemGenerator() throws {
        let files = try SourceFiles.swift()
        #expect(files.count > 50)
        for (file, text) in files {
            let range = NSRange(text.startIndex..., in: text)
            #expect(Self.weakGenerator.firstMatch(in: text, range: range) == nil, "\(file.lastPathComponent)")
            if text.contains(": RandomNumberGenerator") || text.contains("using: &") {
                let allowed = ["DemoHistory.swift", "SeededRandom.swift", "Auth.swift", "TOTP.swift", "RelyingParty.swift"]
                #expect(allowed.contains(file.lastPathComponent), "\(file.lastPathComponent) brings its own generator")
            }
        }
        for file in ["App/Web/Auth.swift", "OneTimePasswords/TOTP.swift", "WebAuthn/RelyingParty.swift"] {
            let text = try String(contentsOf: SourceFiles.root.appendingPathComponent("Sources/\(file)"), encoding: .utf8)
            #expect(text.contains("var generator = SystemRandomNumberGenerator()"), "\(file)")
        }
    }

    /// ASVS V6.2.5: no weak algorithm or mode anywhere in the sources. SHA-1 appears only
    /// as the HMAC of RFC 6238, which every authenticator app computes (and HMAC-SHA1 is not
    /// broken as a MAC); sealing is AES-GCM, passwords bcrypt, digests SHA-256.
    @Test func noWeakAlgorithmIsUsed() throws {
        var sha1 = 0
        for (file, text) in try SourceFiles.swift() {
            for weak in ["Insecure.MD5", "AES._CBC", "AES.CBC", "ECB", "CommonCrypto", "DES(", "RC4", "Insecure.SHA1."] {
                #expect(!text.contains(weak), "\(file.lastPathComponent) uses \(weak)")
            }
            let uses = text.components(separatedBy: "Insecure.SHA1").count - 1
            sha1 += uses
            if uses > 0 {
                #expect(file.lastPathComponent == "TOTP.swift", "\(file.lastPathComponent) uses SHA-1")
                #expect(uses == text.components(separatedBy: "HMAC<Insecure.SHA1>").count - 1, "SHA-1 only as an HMAC")
            }
        }
        #expect(sha1 == 1)
    }

    /// The C library's generators, and GameplayKit's (not SQL's `ORDER BY random()`, nor a
    /// function of ours named `random`).
    static let weakGenerator = try! NSRegularExpression(
        pattern: #"\barc4random|\bdrand48\(|\bsrand(om)?\(|(?<![.\w])(?<!func )(?<!BY )rand(om)?\(\)|\bGKRandom"#)

    /// ASVS V6.3.2: record ids are version 4 (random) UUIDs.
    @Test func recordIdsAreRandomVersion4UUIDs() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: token)
            let audit = try await AuditEvent.query(on: world.app.db).all().compactMap(\.id)
            for id in [created.childID, created.episodeID] + audit {
                let bytes = id.uuid
                #expect(bytes.6 >> 4 == 4, "\(id) is version 4")
                #expect(bytes.8 >> 6 == 0b10, "\(id) has the RFC 4122 variant")
            }
        }
    }

    /// ASVS V6.2.6: sealing the same text under the same key never repeats a nonce.
    @Test func sealingNeverRepeatsANonce() throws {
        let keys = SecretKeys.random()
        let nonces = try (0..<2000).map { _ in
            let sealed = try keys.seal("the same secret", context: "the same row")
            let combined = try #require(Data(base64Encoded: String(sealed.split(separator: ":")[2])))
            return combined.prefix(12)
        }
        #expect(Set(nonces).count == nonces.count)
        #expect(try keys.open(try keys.seal("the same secret", context: "row"), context: "row") == "the same secret")
    }
}
