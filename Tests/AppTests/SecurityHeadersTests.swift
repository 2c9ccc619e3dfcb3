import Foundation
import Testing
import VaporTesting

@testable import App

/// ASVS V14.4: every response, whatever made it (a page, an error, the API, an asset), carries
/// its content type with a charset, a Content Security Policy, nosniff and no referrer.
@Suite struct SecurityHeadersTests {
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("amy@demo.test")
            let responses: [(String, TestingHTTPResponse)] = [
                ("sign-in page", try await world.send(.GET, SiteURL.signIn.path, contentType: nil)),
                ("unknown page", try await world.send(.GET, "/no-such-page", contentType: nil)),
                ("API read", try await world.send(.GET, APIURL.me.path, token: token)),
                ("API error", try await world.send(.GET, APIURL.me.path)),
                ("OpenAPI document", try await world.send(.GET, APIURL.openAPI.path, contentType: nil)),
                ("stylesheet", try await world.send(.GET, Assets.stylesheet.path, contentType: nil)),
                ("script", try await world.send(.GET, Assets.script.path, contentType: nil)),
            ]
            for (what, response) in responses {
                let type = response.headers.first(name: .contentType) ?? ""
                #expect(type.contains("charset=utf-8"), "\(what): Content-Type \(type)")
                let policy = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(
                    policy.contains("default-src 'self'") && policy.contains("script-src 'self'")
                        && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"),
                    "\(what): \(policy)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what)")
                #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer", "\(what)")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(what)")
            }
        }
    }

    /// ASVS V14.4.2, V12.3.4: an API answer, error or not, is an attachment with a fixed
    /// name, so a browser led to one saves it rather than showing it as a page.
    @Test func apiAnswersAreAttachmentsWithAFixedName() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let token = try await world.token("amy@demo.test")
            for response in [
                try await world.send(.GET, APIURL.me.path, token: token),
                try await world.send(.GET, APIURL.me.path),
                try await world.send(.GET, APIURL.openAPI.path, contentType: nil),
                try await world.send(.GET, "/api/v1/no-such-thing%22%3E.html", contentType: nil),
            ] {
                #expect(response.headers.first(name: .contentDisposition) == #"attachment; filename="api.json""#)
            }
            let page = try await world.send(.GET, SiteURL.signIn.path, contentType: nil)
            #expect(page.headers.first(name: .contentDisposition) == nil, "pages are shown")
        }
    }
}
