import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// ASVS V5.3.4, V5.3.5 and V7.3.1: what people type is data, never SQL, never a search
/// operator, and never a field or a child's id in the audit log.
@Suite struct InjectionTests {
    typealias Browser = PageTests.Browser

    static let payloads = [
        "' OR 1=1 --", "\"; DROP TABLE children; --", "Lily') UNION SELECT id FROM practitioners --",
        "NEAR(lily evans)", "lily* OR evans*", "\"lily\"", "li%ly", "l_ly", "^lily", "lily:*", "\\", "-lily",
        "{lily}", "***", "a*b", "ev*ns", "lily AND NOT evans", "*",
    ]

    /// Searches built of SQL and FTS5 syntax answer as searches (a result or a 422 naming the
    /// field), never a server error; the tables are untouched, and a quoted name still finds
    /// the child. On both databases, as every test.
    @Test func sqlAndSearchSyntaxAreSearchedAsText() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let lily = try await world.registerChild(as: amy)
            let children = try await Child.query(on: world.app.db).count()
            for payload in Self.payloads {
                for field in ["q", "postcode", "identifier"] {
                    let found = try await world.send(
                        .POST, APIURL.childSearch.path, token: amy, raw: try TestWorld.jsonText([field: payload]))
                    #expect([.ok, .unprocessableEntity].contains(found.status), "\(field)=\(payload): \(found.status)")
                    if found.status == .unprocessableEntity { #expect(try world.error(found).field == field) }
                }
            }
            #expect(try await Child.query(on: world.app.db).count() == children)
            #expect(try await Practitioner.query(on: world.app.db).count() > 10)
            for quoted in ["'Lily' \"Evans\"", "Lily\") (\"Evans*"] {
                let found = try await world.search("q=" + quoted, token: amy)
                #expect(found.body.string.contains(lily.uuidString), "\(quoted)")
            }
        }
    }

    /// Every query built from raw text (`unsafeRaw:`) interpolates only names written in code
    /// (columns, tables, numbered aliases), never a value: values are bound. This list makes
    /// a new use a reviewed change; each file's uses were read for that.
    @Test func rawSQLIsBuiltOnlyWhereReviewed() throws {
        let reviewed = [
            "ChildSearch.swift": 2, "MeasureData.swift": 11, "MeasureData+Episodes.swift": 3, "MilestoneTriggers.swift": 3,
            "CreateChildNames.swift": 2,
            "WriteTransaction.swift": 1,
        ]
        var found: [String: Int] = [:]
        for (file, text) in try SourceFiles.swift() {
            let uses = text.components(separatedBy: "unsafeRaw:").count - 1
            if uses > 0 { found[file.lastPathComponent] = uses }
        }
        #expect(found == reviewed)
    }

    /// What `Audit.typed` keeps of typed text: markup and ordinary punctuation as typed;
    /// `%`, `=`, line breaks, bidi overrides and the hyphens of an id encoded.
    @Test func typedTextCanNeitherAddAFieldNorNameAChild() {
        let id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
        let typed = Audit.typed("Mum's view <b>x</b> 100% sensitive=yes\r\nresults=\(id.lowercased()) \u{202E}é")
        #expect(
            typed
                == "Mum's view <b>x</b> 100%25 sensitive%3Dyes%0D%0Aresults%3D3f2504e0%2D4f89%2D11d3%2D9a0c%2D0305e82c3301 %E2%80%AEé"
        )
        #expect(Audit.typed("Smith-Jones, 2020-01-01") == "Smith-Jones, 2020-01-01")
        // A combining mark or a prepended mark makes one character of an id's edge; the
        // database's LIKE compares code points, so the hyphens must still go.
        for disguised in ["\(id)\u{0301}", "\u{0D4E}\(id)", "x\(id)y"] {
            #expect(!Audit.typed(disguised).contains("-"), "\(disguised)")
        }
    }

    /// A reason written to smuggle fields and another child's id into the log: the entry
    /// stays on its own child's trail, is not hidden by a typed `sensitive=`, names no other
    /// child, and is shown as text on the page.
    @Test func typedTextCannotForgeOrHideAnAuditEntry() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            let other = try await world.registerChild(as: amy, givenName: "Rosa", familyName: "Jones")
            let reason = "sensitive= results=\(other.uuidString)\r\n<script>alert(1)</script>"
            let withdrawn = try await world.changeTeam(
                APIURL.consents(created.episodeID).path, token: amy,
                raw: try TestWorld.jsonText(["kind": "withdrawn", "reason": reason]))
            #expect(withdrawn.status == .created)
            let search = try await world.search("q=Zed results=\(other.uuidString) sensitive=", token: amy)
            #expect(search.status == .ok)

            let erin = try await world.token("erin@demo.test")
            let trail = try await world.send(.GET, APIURL.audit.path + "?childId=\(created.childID)", token: erin)
            #expect(trail.body.string.contains("change-consent"), "a typed sensitive= hides nothing")
            let otherTrail = try await world.send(.GET, APIURL.audit.path + "?childId=\(other)", token: erin)
            #expect(otherTrail.status == .ok)
            #expect(otherTrail.body.string.contains("register-child"), "the other trail is read")
            #expect(!otherTrail.body.string.contains("change-consent"), "a typed id puts nothing on another trail")
            #expect(!otherTrail.body.string.contains("search-children"))

            let page = Browser(world)
            try await page.signIn("erin@demo.test")
            let html = try await page.get(SiteURL.childAudit(created.childID).path).body.string
            #expect(html.contains("change-consent"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"))
            #expect(!html.contains(other.uuidString))
        }
    }
}
