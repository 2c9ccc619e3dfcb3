import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 13: a child renamed `x"><meta http-equiv="refresh" …>` redirected everyone who
/// opened the record, because Plot writes the page title into og:title and twitter:title
/// attributes unescaped. Names are now letters only; and a name stored before that (or any
/// text) still renders as text on every page that shows a child.
@Suite struct HostileNameTests {
    static let hostile = #"x"><meta http-equiv="refresh" content="0;url=https://example.org/"> O'Brien & <Sons>"#

    @Test func aHostileNameIsTextOnEveryPageThatShowsTheChild() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            // Stored as a name from before names were checked.
            let child = try #require(try await Child.find(created.childID, on: world.app.db))
            child.givenName = Self.hostile
            try await child.save(on: world.app.db)
            for name in try await ChildName.query(on: world.app.db).filter(\.$child.$id == created.childID).all() {
                name.givenName = Self.hostile
                try await name.save(on: world.app.db)
            }
            let amyPages = PageTests.Browser(world)
            try await amyPages.signIn("amy@demo.test")
            let erinPages = PageTests.Browser(world)
            try await erinPages.signIn("erin@demo.test")
            for (browser, path) in [
                (amyPages, SiteURL.child(created.childID).path), (erinPages, SiteURL.childAudit(created.childID).path),
                (amyPages, SiteURL.episode(created.episodeID).path),
                (amyPages, SiteURL.assessment(episode: created.episodeID).path),
                (amyPages, SiteURL.editAssessment(episode: created.episodeID).path),
                (amyPages, SiteURL.printEpisode(created.episodeID).path), (amyPages, SiteURL.team(created.episodeID).path),
                (amyPages, SiteURL.plan(created.episodeID).path), (amyPages, SiteURL.home.path),
            ] {
                let page = try await browser.get(path)
                let html = page.body.string
                let metas = html.components(separatedBy: "<meta").count - 1
                let injected = html.contains("<meta http-equiv") || html.contains("<Sons>")
                let shown = html.contains("&lt;meta http-equiv") && html.contains("&amp; &lt;Sons&gt;")
                #expect(page.status == .ok, "\(path)")
                #expect(!injected, "\(path): the name became markup")
                #expect(metas == 2, "\(path): \(metas) meta elements, not only charset and viewport")
                #expect(shown, "\(path): the name is not shown as text")
            }
        }
    }

    @Test func namesAreLettersOfAnyScriptNotMarkup() {
        for name in ["Zoë", "Siân", "O'Brien", "Smith-Jones", "St. John", "محمد", "李", "अनु\u{200D}", "Nguyễn", "D’Arcy"] {
            #expect(PersonName.problem(name) == nil, "\(name)")
        }
        for name in [#"x"><meta"#, "Amy<script>", "Bob & Co", "Robert'); DROP", "1234", "---", "a\u{0}b", "Ann\tMarie"] {
            #expect(PersonName.problem(name) != nil, "\(name)")
        }
        #expect(PersonName.problem(String(repeating: "a", count: 101)) != nil)
    }

    @Test func registeringOrRenamingAChildWithMarkupIsRefusedAndChangesNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let before = try await Child.query(on: world.app.db).count()
            let response = try await world.send(
                .POST, APIURL.children.path, token: amy,
                json: ["givenName": #"x"><meta"#, "familyName": "Evans", "dateOfBirth": "2018-03-04"])
            #expect(response.status == .unprocessableEntity)
            #expect(try world.error(response).field == "givenName")
            #expect(try await Child.query(on: world.app.db).count() == before)
            let child = try await world.registerChild(as: amy)
            let renamed = try await world.send(
                .POST, APIURL.childNames(child).path, token: amy,
                json: ["kind": "known-as", "givenName": "Lily<b>", "familyName": "Evans"])
            #expect(renamed.status == .unprocessableEntity)
            #expect(try await ChildName.query(on: world.app.db).filter(\.$child.$id == child).count() == 1)
        }
    }
}
