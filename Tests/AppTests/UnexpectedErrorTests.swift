import Foundation
import Testing
import VaporTesting

@testable import App

/// ASVS V7.4 and V14.3: an error nobody planned for reaches the last-resort handler, which
/// shows a plain message with a reference to quote and nothing of the error itself, whatever
/// environment the server runs in.
@Suite struct UnexpectedErrorTests {
    /// An error that carries what must never reach a user.
    struct InternalFailure: Error, CustomStringConvertible {
        var description: String { "SELECT secret FROM children WHERE name = 'Lily' -- at Episodes.swift:42" }
    }

    static let detail = ["SELECT", "secret", "Lily", "Episodes.swift", "InternalFailure"]

    @Test func anUnexpectedErrorShowsAGenericMessageWithAReference() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let log = LogCapture()
            world.app.logger = log.logger
            world.app.get("failing-page") { _ -> String in throw InternalFailure() }
            world.app.get("api", "v1", "failing") { _ -> String in throw InternalFailure() }

            // Behind a trusted proxy, the proxy's id is the reference; from anyone else, not.
            let untrusted = try await world.send(
                .GET, "/failing-page", contentType: nil, headers: ["X-Request-Id": "proxy-id-123"])
            #expect(!untrusted.body.string.contains("proxy-id-123"))
            world.app.throttle.trustForwarded = true
            let page = try await world.send(
                .GET, "/failing-page", contentType: nil, headers: ["X-Request-Id": "proxy-id-123"])
            #expect(page.status == .internalServerError)
            #expect(page.body.string.contains("Something went wrong on our side"))
            #expect(page.body.string.contains("proxy-id-123"), "the proxy's id is the reference")
            // The detail is in the server's log, under the reference the person quotes.
            #expect(log.all.contains { $0.contains("SELECT secret") && $0.contains("request-id=proxy-id-123") })
            let api = try await world.send(.GET, "/api/v1/failing")
            #expect(api.status == .internalServerError)
            let error = try world.error(api)
            #expect(error.code == "internal-error")
            #expect(error.message.contains("reference: "))
            for response in [page, api] {
                for word in Self.detail { #expect(!response.body.string.contains(word), "\(word)") }
                #expect(response.headers.first(name: "Content-Security-Policy") != nil)
            }
        }
    }

    /// ASVS V7.3.1: a request id made up (markup, a kilobyte, spaces) is neither logged nor
    /// shown, even through a trusted proxy; a fresh one takes its place.
    @Test func aMadeUpRequestIdIsReplaced() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            world.app.throttle.trustForwarded = true
            world.app.get("failing-page") { _ -> String in throw InternalFailure() }
            for sent in [#"x"><script>alert(1)</script>"#, String(repeating: "a", count: 1000), "a b", ""] {
                let page = try await world.send(.GET, "/failing-page", contentType: nil, headers: ["X-Request-Id": sent])
                let html = page.body.string
                #expect(page.status == .internalServerError)
                #expect(sent.isEmpty || !html.contains(sent), "\(sent.prefix(20))")
                let reference = try #require(html.firstMatch(of: #/reference: ([0-9A-F-]{36})/#)?.output.1)
                #expect(UUID(uuidString: String(reference)) != nil)
            }
            #expect(RequestReference.wellFormed("3F2504E0-4F89-11D3-9A0C-0305E82C3301"))
            #expect(!RequestReference.wellFormed(String(repeating: "a", count: 65)))
        }
    }

    /// ASVS V14.3.2: there is no debug mode to leave on. Nothing in App reads the environment's
    /// name, so production, development and testing show the same errors; and no response
    /// names the server or its version (V14.3.3).
    @Test func noModeShowsMoreAndNoResponseNamesTheServer() async throws {
        let files = try SourceFiles.swift(under: "App")
        #expect(files.count > 50)
        for (file, text) in files {
            for mode in ["app.environment", "application.environment", "isRelease", ".development", ".production", ".testing"] {
                #expect(!text.contains(mode), "\(file.lastPathComponent) reads \(mode)")
            }
        }
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("amy@demo.test")
            for response in [
                try await world.send(.GET, SiteURL.signIn.path, contentType: nil),
                try await world.send(.GET, APIURL.me.path, token: token),
                try await world.send(.GET, "/no-such-page", contentType: nil),
            ] {
                for header in ["Server", "X-Powered-By", "X-AspNet-Version", "Via"] {
                    #expect(response.headers.first(name: header) == nil, "\(header)")
                }
            }
        }
    }
}
