import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Issue 13: a child renamed `x"><meta http-equiv="refresh" …>` redirected everyone who
/// opened the record, because Plot writes the page title into og:title and twitter:title
/// attributes unescaped. Names are now letters only; and a name stored before that (or any
/// text) still renders as text on every page that shows a child.
@Suite struct HostileNameTests {
    static let hostile = #"x"><meta http-equiv="refresh" content="0;url=https://example.org/"> O'Brien & <Sons>"#

    /// Found by review: escaping went by Swift character, and a quote followed by a combining
    /// mark is one character that is not a quote, so it ended the attribute unescaped.
    @Test func aQuoteBehindACombiningMarkIsStillEscaped() {
        let escaped = GOVUK.attribute("x\"\u{301} role=alert x='\u{301} <\u{301}>\u{301}&\u{301}")
        #expect(!escaped.unicodeScalars.contains { "\"'<>".unicodeScalars.contains($0) }, "\(escaped)")
        #expect(escaped == "x&quot;\u{301} role=alert x=&#39;\u{301} &lt;\u{301}&gt;\u{301}&amp;\u{301}")
    }

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
                #expect(PageStructure.parse(html).problem == nil, "\(path): \(PageStructure.parse(html).problem ?? "")")
                if html.contains("<title>x&quot;") || html.contains("<title>x\"") {
                    #expect(PageStructure.parse(html).title.contains(Self.hostile), "\(path): the title is not the name as text")
                }
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

/// A page read by a strict parser, as a browser's would be if it stopped at the first mistake:
/// Plot writes XHTML-style markup, so every page must parse as XML (after the doctype), and
/// what the parser reads as the title is the text the page meant.
struct PageStructure {
    let problem: String?
    let title: String

    static func parse(_ html: String) -> PageStructure {
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let reader = Reader()
        let parser = XMLParser(data: Data(body.utf8))
        parser.delegate = reader
        let ok = parser.parse()
        return PageStructure(
            problem: ok
                ? nil
                : "column \(parser.columnNumber), \(parser.parserError.map { "\($0)" } ?? ""): "
                    + near(body, parser.columnNumber),
            title: reader.title)
    }

    /// The markup around where the parser stopped (pages are one line).
    static func near(_ body: String, _ column: Int) -> String {
        String(decoding: Array(body.utf8).dropFirst(max(0, column - 120)).prefix(160), as: UTF8.self)
    }

    final class Reader: NSObject, XMLParserDelegate {
        var title = ""
        var inTitle = false
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            inTitle = name == "title"
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" { inTitle = false }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { title += string }
        }
    }
}
