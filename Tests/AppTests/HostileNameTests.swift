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

/// Issue 13: a practitioner in another LA opened a second CAF on a child who already had one
/// (201), with consent she typed herself. One open CAF a child; the rest join its team.
@Suite struct OneOpenEpisodeTests {
    @Test func aSecondOpenEpisodeIsRefusedPointingToTheTeam() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let before = try await Episode.query(on: world.app.db).count()
            for persona in ["amy@demo.test", "ben@demo.test", "hana@demo.test"] {
                let response = try await world.send(
                    .POST, APIURL.childEpisodes(created.childID).path, token: try await world.token(persona),
                    raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
                #expect(response.status == .conflict, "\(persona)")
                #expect(try world.error(response).code == "episode-already-open", "\(persona)")
                let related = (try world.json(response)["error"] as? [String: Any])?["related"] as? [String]
                #expect(related?.compactMap(UUID.init(uuidString:)) == [created.episodeID], "\(persona)")
            }
            #expect(try await Episode.query(on: world.app.db).count() == before)
        }
    }
}

/// Issue 13: the involvements form had no index-role check, so an LA administrator saw a
/// child's name on it. Now it is a read of the record: checked first, then audited.
@Suite struct InvolvementFormTests {
    @Test func theInvolvementsFormIsCheckedThenAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy, givenName: "Lily", familyName: "Evans")
            let fay = PageTests.Browser(world)
            try await fay.signIn("fay@demo.test")
            let refused = try await fay.get(SiteURL.childInvolvements(child).path)
            #expect(refused.status == .forbidden)
            #expect(!refused.body.string.contains("Lily"))
            let ben = PageTests.Browser(world)
            try await ben.signIn("ben@demo.test")
            let before = try await AuditEvent.query(on: world.app.db).filter(\.$childID == child)
                .filter(\.$action == AuditAction.viewChild.rawValue).count()
            #expect(try await ben.get(SiteURL.childInvolvements(child).path).status == .ok)
            let after = try await AuditEvent.query(on: world.app.db).filter(\.$childID == child)
                .filter(\.$action == AuditAction.viewChild.rawValue).count()
            #expect(after == before + 1)
        }
    }

    /// The safeguarding numbers page names the child: its reads are audited too.
    @Test func theSafeguardingNumbersPageIsAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let child = try await world.registerChild(as: try await world.token("amy@demo.test"))
            let amy = PageTests.Browser(world)
            try await amy.signIn("amy@demo.test")
            #expect(try await amy.get(SiteURL.safeguarding(child: child).path).status == .ok)
            let read = try await AuditEvent.query(on: world.app.db).filter(\.$childID == child)
                .filter(\.$detail == "safeguarding numbers").count()
            #expect(read == 1)
        }
    }
}

/// Issue 13, item 1 (in part): no role is read to decide anything outside CAFCore. The App's
/// sources hold no `roles.contains`, `hasRole`, or a set tested for one role by hand.
@Suite struct OneGateTests {
    @Test func noRoleIsReadToDecideOutsideCAFCore() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/App")
        let files =
            FileManager.default.enumerator(at: sources.standardized, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        var found: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated()
            where line.contains("roles.contains") || line.contains("hasRole")
                || line.range(
                    of: #"contains\(\.(laAdmin|coordinator|safeguarding|manager|practitioner|analyst)\)"#,
                    options: .regularExpression) != nil
            {
                found.append("\(file.lastPathComponent):\(number + 1)")
            }
        }
        #expect(found.isEmpty, "role read outside CAFCore: \(found)")
    }
}

/// Issue 13, item 6 (in part): a review queue shows children; reading it is audited, naming
/// each child, so their own audit trail shows who saw them there.
@Suite struct QueueReadTests {
    @Test func readingTheBreakGlassQueueIsAuditedOnEachChild() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let erin = try await world.token("erin@demo.test")
            _ = try await world.send(.GET, APIURL.breakGlassQueue.path, token: erin)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue").count() == 0)
            let created = try await world.childWithEpisode(as: try await world.token("amy@demo.test"))
            let taken = try await world.send(
                .POST, APIURL.episodeBreakGlass(created.episodeID).path, token: try await world.token("carla@demo.test"),
                raw: #"{"reason": "Child found alone at night; checking who is involved"}"#)
            #expect(taken.status == .created)
            #expect(try await world.send(.GET, APIURL.breakGlassQueue.path, token: erin).status == .ok)
            let reads = try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue").all()
            #expect(reads.count == 1)
            #expect(reads.first?.detail == "break-glass queue: \(created.childID.uuidString)")
            #expect(reads.first?.actorEmail == "erin@demo.test")
            let trail = try await Audit.events(forChildren: [created.childID], episodeIDs: [], on: world.app.db)
            #expect(trail.contains { $0.action == "view-review-queue" })
        }
    }
}
