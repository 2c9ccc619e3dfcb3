import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 15: assessing together without losing a word. A save names the revisions it was made
/// on; what someone else saved since is never overwritten unseen.
@Suite struct AssessmentRevisionTests {
    static func etag(_ world: TestWorld, _ episode: UUID, _ token: String) async throws -> String {
        try #require(try await world.send(.GET, APIURL.assessment(episode).path, token: token).headers.first(name: .eTag))
    }

    static func put(_ world: TestWorld, _ episode: UUID, _ token: String, _ body: [String: Any], ifMatch: String?)
        async throws -> TestingHTTPResponse
    {
        var headers: HTTPHeaders = [:]
        if let ifMatch { headers.replaceOrAdd(name: .ifMatch, value: ifMatch) }
        return try await world.send(
            .PUT, APIURL.assessment(episode).path, token: token, raw: try TestWorld.jsonText(body), headers: headers)
    }

    static func stored(_ world: TestWorld, _ episode: UUID) async throws -> AssessmentContent {
        try await Episodes.latestAssessment(of: episode, on: world.app.db).content(try world.app.requireSecrets())
    }

    @Test func twoStaleWritersOfOnePartGetOne412AndTheFirstWordsStay() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let amyElsewhere = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let read = try await Self.etag(world, episode, amy)
            let first = try await Self.put(
                world, episode, amy, ["reasonForAssessment": "Lily has missed twelve days this term."], ifMatch: read)
            #expect(first.status == .ok)
            #expect(first.headers.first(name: .eTag) != read)
            let second = try await Self.put(
                world, episode, amyElsewhere, ["reasonForAssessment": "Mum asked for help with mornings."], ifMatch: read)
            #expect(second.status == .preconditionFailed)
            let error = try world.json(second)["error"] as? [String: Any]
            #expect(error?["code"] as? String == "edit-conflict")
            let changes = try #require(error?["changes"] as? [[String: Any]])
            #expect(changes.map { $0["part"] as? String } == ["details"])
            #expect(changes.first?["savedBy"] as? String == "Amy Clarke")
            #expect(second.headers.first(name: .eTag) == first.headers.first(name: .eTag))
            #expect(try await Self.stored(world, episode).reasonForAssessment == "Lily has missed twelve days this term.")
        }
    }

    @Test func writersOfDifferentPartsOnOneRevisionBothSave() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let read = try await Self.etag(world, episode, amy)
            let draft = try world.json(try await world.send(.GET, APIURL.assessment(episode).path, token: amy))
            var health = draft.filter { ["identifying", "parents", "assessor", "services"].contains($0.key) }
            health["elements"] = [["code": "dev.health.general", "needs": "Asthma reviews missed", "level": 2]]
            var views = health
            views["elements"] = []
            views["childViews"] = "Lily wants to get to school on time."
            #expect(try await Self.put(world, episode, amy, health, ifMatch: read).status == .ok)
            let second = try await Self.put(world, episode, amy, views, ifMatch: read)
            #expect(second.status == .ok, "\(second.body.string)")
            let stored = try await Self.stored(world, episode)
            #expect(stored.element("dev.health.general").needs == "Asthma reviews missed")
            #expect(stored.element("dev.health.general").level == .additional)
            #expect(stored.childViews == "Lily wants to get to school on time.")
            let revisions = try world.json(second)["revisions"] as? [String: Int]
            #expect(revisions?["development"] == 2 && revisions?["conclusions"] == 2 && revisions?["details"] == 1)
        }
    }

    /// PATCH of one part: written on its own revision, every other part left as saved now,
    /// and a field of another part refused rather than dropped.
    @Test func onePartIsSavedAloneAndTheOthersStayAsSaved() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let read = try await Self.etag(world, episode, amy)
            func patch(_ part: String, _ body: [String: Any], ifMatch: String?) async throws -> TestingHTTPResponse {
                var headers: HTTPHeaders = [:]
                if let ifMatch { headers.replaceOrAdd(name: .ifMatch, value: ifMatch) }
                return try await world.send(
                    .PATCH, "/api/v1/episodes/\(episode)/assessment/parts/\(part)", token: amy,
                    raw: try TestWorld.jsonText(body), headers: headers)
            }
            let reason = try await world.saveAssessment(
                episode, token: amy, raw: try TestWorld.jsonText(["reasonForAssessment": "Attendance has fallen."]))
            #expect(reason.status == .ok)
            let views = try await patch("conclusions", ["childViews": "Lily wants to walk to school."], ifMatch: read)
            #expect(views.status == .ok, "\(views.body.string)")
            var stored = try await Self.stored(world, episode)
            #expect(stored.reasonForAssessment == "Attendance has fallen.", "saved since the read, and kept")
            #expect(stored.childViews == "Lily wants to walk to school.")

            let across = try await patch(
                "conclusions",
                [
                    "childViews": "Changed", "reasonForAssessment": "Slipped in",
                    "elements": [["code": "dev.emotional", "needs": "x"]],
                ],
                ifMatch: try await Self.etag(world, episode, amy))
            #expect(across.status == .unprocessableEntity)
            let problems = try #require((try world.json(across)["error"] as? [String: Any])?["problems"] as? [[String: Any]])
            #expect(problems.compactMap { $0["field"] as? String }.sorted() == ["elements", "reasonForAssessment"])
            let unknown = try await patch(
                "development", ["elements": [["code": "dev.flying", "needs": "x"]]],
                ifMatch: try await Self.etag(world, episode, amy))
            #expect(unknown.status == .unprocessableEntity, "an element of no part is refused, not dropped")
            #expect(try await patch("conclusions", ["childViews": "Stale"], ifMatch: read).status == .preconditionFailed)
            #expect(try await patch("conclusions", ["childViews": "No If-Match"], ifMatch: nil).status == .preconditionRequired)
            #expect(try await patch("nowhere", ["childViews": "x"], ifMatch: read).status.code >= 404)
            stored = try await Self.stored(world, episode)
            #expect(
                stored.childViews == "Lily wants to walk to school." && stored.reasonForAssessment == "Attendance has fallen.")
        }
    }

    /// A draft's revisions are the base of edits made on it; once it is completed nothing is
    /// made on it, and they are not kept.
    @Test func aCompletedVersionKeepsNoDraftRevisions() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let assessment = try await Episodes.latestAssessment(of: episode, on: world.app.db).requireID()
            func kept() async throws -> Int {
                try await AssessmentPartRevision.query(on: world.app.db).filter(\.$assessment.$id == assessment).count()
            }
            #expect(try await kept() == AssessmentPart.allCases.count)
            #expect(try await world.saveAssessment(episode, token: amy, raw: try TestWorld.completeAssessment()).status == .ok)
            #expect(try await kept() > AssessmentPart.allCases.count)
            let sealed = try #require(try await AssessmentPartRevision.query(on: world.app.db).first()?.sealedContent)
            #expect(!sealed.contains("Attendance"), "kept sealed")
            #expect(try await world.send(.POST, APIURL.completeAssessment(episode).path, token: amy).status == .ok)
            #expect(try await kept() == 0)
            // A form opened on the completed version, sent after a review began, is stale.
            #expect(try await world.send(.POST, APIURL.assessments(episode).path, token: amy).status == .created)
            let onFirst = try await Self.put(world, episode, amy, ["conclusions": "Late words"], ifMatch: #""v1-2.2.2.2.2.1""#)
            #expect(onFirst.status == .preconditionFailed)
        }
    }

    /// Behind the shield: a change someone made to what the writer cannot see is not theirs to
    /// conflict with, and what they could not see is kept.
    @Test func aShieldedWriterIsNotStoppedByAChangeTheyCannotSee() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let shielded = try await ShieldSurfaceTests().shieldedChild(world)
            let amy = try await world.token("amy@demo.test")
            let read = try await world.send(.GET, APIURL.assessment(shielded.episode).path, token: amy)
            var body = try world.json(read)
            for key in [
                "episodeId", "version", "status", "createdAt", "updatedAt", "completedAt", "whereaboutsWithheld", "revisions",
            ] {
                body[key] = nil
            }
            // Someone who may see the whereabouts saves a new address and reason, as a save would.
            let keys = try world.app.requireSecrets()
            let assessment = try await Episodes.latestAssessment(of: shielded.episode, on: world.app.db)
            var changed = try assessment.content(keys)
            (changed.identifying.address, changed.reasonForAssessment) = ("9 New Hideaway, Cottenham", "They moved.")
            try assessment.setContent(changed, keys: keys)
            assessment.revisions[.details] += 1
            try await assessment.save(on: world.app.db)
            try await AssessmentPartRevision(
                assessmentID: try assessment.requireID(), part: .details, revision: assessment.revisions[.details],
                content: changed, savedByID: try await world.signedIn("erin@demo.test").id, savedAt: Date(), keys: keys
            ).create(on: world.app.db)

            body["conclusions"] = "Amy's conclusions."
            let etag = try #require(read.headers.first(name: .eTag))
            let saved = try await Self.put(world, shielded.episode, amy, body, ifMatch: etag)
            #expect(saved.status == .ok, "\(saved.body.string)")
            let stored = try await Self.stored(world, shielded.episode)
            #expect(stored.identifying.address == "9 New Hideaway, Cottenham" && stored.reasonForAssessment == "They moved.")
            #expect(stored.conclusions == "Amy's conclusions.")
        }
    }

    @Test func aSaveWithoutIfMatchOrWithOneNotOursChangesNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let body: [String: Any] = ["reasonForAssessment": "Overwritten?"]
            let missing = try await Self.put(world, episode, amy, body, ifMatch: nil)
            #expect(missing.status == .preconditionRequired)
            #expect(try world.error(missing).code == "if-match-required")
            for hostile in [
                "*", #""v1-1.1.1.1.1.1"x"#, #""v1-1.1.1.1.1.999999999999999999999""#, String(repeating: "9", count: 100_000),
            ] {
                let refused = try await Self.put(world, episode, amy, body, ifMatch: hostile)
                #expect(refused.status == .unprocessableEntity, "\(hostile.prefix(40))")
                #expect(try world.error(refused).field == "If-Match")
            }
            // Not a draft of this version: an ETag of another review round is stale too.
            #expect(try await Self.put(world, episode, amy, body, ifMatch: #""v2-1.1.1.1.1.1""#).status == .preconditionFailed)
            #expect(try await Self.stored(world, episode).reasonForAssessment.isEmpty)
            // Someone who may not write is refused as before, whatever they name.
            let carla = try await world.token("carla@demo.test")
            #expect(try await Self.put(world, episode, carla, body, ifMatch: nil).status == .forbidden)
        }
    }

    @Test func staleSavesOfOnePartFiredTogetherHaveOneWinner() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let read = try await Self.etag(world, episode, amy)
            let statuses = try await StateRaceTests.atOnce(6) { index in
                try await Self.put(world, episode, amy, ["conclusions": "Writer \(index)"], ifMatch: read).status
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .preconditionFailed }.count == 5, "\(statuses)")
            let winner = try #require(statuses.firstIndex(of: .ok))
            #expect(try await Self.stored(world, episode).conclusions == "Writer \(winner)")
        }
    }

    /// The page: a form sent on a stale revision overwrites nothing; it comes back with what
    /// the other person saved, this person's words beside it, both in the field, and saves on
    /// the new revision when sent again.
    @Test func aStaleFormComesBackMergedAndSavesWhenSentAgain() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let path = SiteURL.editAssessment(episode: episode).path
            let here = PageTests.Browser(world)
            try await here.signIn("amy@demo.test")
            let there = PageTests.Browser(world)
            try await there.signIn("amy@demo.test")
            _ = try await here.get(path)
            _ = try await there.get(path)
            let base = try await Self.stored(world, episode).fields
            func form(_ changes: [String: String]) -> [(String, String)] {
                base.merging(changes) { $1 }.map { ($0.key, $0.value) } + [("intent", "save")]
            }
            let saved = try await there.post(
                path,
                form([
                    "conclusions": "Breakfast club <b>daily</b>", "childViews": "Lily likes art.",
                    "reasonForAssessment": "Lily is often late.",
                ]))
            #expect(saved.status == .seeOther)
            let stale = try await here.post(
                path, form(["conclusions": "Reading support \"weekly\"", "parentViews": "Mum is relieved."]))
            #expect(stale.status == .conflict)
            let page = stale.body.string
            #expect(page.contains("Someone else saved this assessment while you were writing"))
            #expect(page.contains("Amy Clarke saved “Views and conclusions”"))
            #expect(page.contains("Breakfast club &lt;b&gt;daily&lt;/b&gt;\n\nReading support \"weekly\"</textarea>"))
            #expect(!page.contains("<b>daily</b>"))
            #expect(page.contains(##"href="#conclusions""##))
            #expect(page.contains("Lily likes art."), "what only they changed is kept")
            #expect(
                page.contains(">Lily is often late.</textarea>"), "a part only they changed is theirs, not the form's old text")
            #expect(page.contains("Mum is relieved."), "what only this person changed is kept")
            var stored = try await Self.stored(world, episode)
            #expect(stored.conclusions == "Breakfast club <b>daily</b>")
            #expect(stored.parentViews.isEmpty)
            // Sent again as it came back (the browser posts the merged fields and new revisions).
            let merged = AssessmentContent(fields: base).fields.merging([
                "reasonForAssessment": "Lily is often late.",
                "conclusions": "Breakfast club <b>daily</b>\n\nReading support \"weekly\"", "childViews": "Lily likes art.",
                "parentViews": "Mum is relieved.",
            ]) { $1 }
            let resent = try await here.post(path, merged.map { ($0.key, $0.value) } + [("intent", "save")])
            #expect(resent.status == .seeOther, "\(resent.body.string.prefix(300))")
            stored = try await Self.stored(world, episode)
            #expect(stored.conclusions == "Breakfast club <b>daily</b>\n\nReading support \"weekly\"")
            #expect(stored.childViews == "Lily likes art." && stored.parentViews == "Mum is relieved.")
            #expect(stored.reasonForAssessment == "Lily is often late.")
        }
    }

    /// Who else is here: the form names whoever else opened, saved or pinged it in the last five
    /// minutes, on first load and in each ping's answer.
    @Test func theFormSaysWhoElseIsWritingNow() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let assessment = try await Episodes.latestAssessment(of: episode, on: world.app.db).requireID()
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let alone = try await browser.get(SiteURL.editAssessment(episode: episode).path).body.string
            #expect(!alone.contains("in the last five minutes"))
            let ben = try await world.signedIn("ben@demo.test")
            let benSession = try await TimeSpent.startEditing(
                .assessmentWriting, episode: episode, assessment: assessment, by: ben, on: world.app.db)
            let together = try await browser.get(SiteURL.editAssessment(episode: episode).path).body.string
            #expect(together.contains("Ben Okafor has had this assessment open in the last five minutes."))
            let session = try #require(
                together.range(of: #"name="editingSession" value=""#).map { String(together[$0.upperBound...].prefix(36)) })
            let ping = try await browser.post(SiteURL.editingPing(try #require(UUID(uuidString: session))).path, [])
            #expect(ping.status == .ok)
            #expect(try world.json(ping)["othersEditing"] as? [String] == ["Ben Okafor"])
            let amyHere = try await world.signedIn("amy@demo.test")

            // Which part each is editing: the field a ping names (the last one typed in) says,
            // above the form and beside that part, on first load and in a ping's answer.
            try await TimeSpent.mark(
                benSession.uuidString, ping: true, field: "needs.dev.health.general", by: ben, on: world.app.db)
            let inPart = try await browser.get(SiteURL.editAssessment(episode: episode).path).body.string
            #expect(inPart.contains("Ben Okafor (editing “\(AssessmentPart.development.title)”) has had this assessment open"))
            #expect(inPart.contains(">Ben Okafor has been editing this part in the last five minutes.</div>"))
            #expect(inPart.components(separatedBy: "has been editing this part").count == 2, "beside that part alone")
            let development = try #require(inPart.range(of: #"id="others-editing-development""#))
            #expect(inPart[development.upperBound...].prefix(200).contains("Ben Okafor has been editing this part"))
            let opened = try #require(
                inPart.range(of: #"name="editingSession" value=""#).map { String(inPart[$0.upperBound...].prefix(36)) })
            let pinged = try await browser.post(
                SiteURL.editingPing(try #require(UUID(uuidString: opened))).path, [("field", "childViews")])
            let parts = try #require(try world.json(pinged)["parts"] as? [String: String])
            #expect(parts["development"] == "Ben Okafor has been editing this part in the last five minutes.")
            #expect(parts["conclusions"] == "" && parts.count == AssessmentPart.allCases.count)
            let amyWriting = TimeSpent.Editor(name: "Amy Clarke", part: .conclusions)
            #expect(try await TimeSpent.othersEditing(assessment, besides: ben, on: world.app.db) == [amyWriting])
            // A name that is no field of the form notes nothing.
            for hostile in [#""><script>alert(1)</script>"#, String(repeating: "x", count: 300), "needs.no.such.element"] {
                _ = try await browser.post(SiteURL.editingPing(UUID(uuidString: opened)!).path, [("field", hostile)])
            }
            #expect(try await TimeSpent.othersEditing(assessment, besides: ben, on: world.app.db) == [amyWriting])

            #expect(
                try await TimeSpent.othersEditing(assessment, besides: amyHere, at: Date() + 301, on: world.app.db).isEmpty,
                "five quiet minutes later no one is shown")
        }
    }

    /// Found by review: only those who may write an assessment are shown to each other as
    /// writing it. A reader opening the form is shown the assessment to read; a writer who may
    /// no longer write (the episode closed) is refused before their ping marks them.
    @Test func onlyItsWritersAreShownAsWritingIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let shared = try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, raw: #"{"practitionerEmail": "ben@demo.test"}"#)
            #expect(shared.status == .created)
            let reader = PageTests.Browser(world)
            try await reader.signIn("ben@demo.test")
            let redirected = try await reader.get(SiteURL.editAssessment(episode: episode).path)
            #expect(redirected.status == .seeOther)
            #expect(redirected.headers.first(name: .location) == SiteURL.assessment(episode: episode).path)
            let ben = try await world.signedIn("ben@demo.test")
            #expect(try await EditingSession.query(on: world.app.db).filter(\.$practitioner.$id == ben.id).count() == 0)

            let writer = PageTests.Browser(world)
            try await writer.signIn("amy@demo.test")
            let form = try await writer.get(SiteURL.editAssessment(episode: episode).path).body.string
            let session = try #require(
                form.range(of: #"name="editingSession" value=""#).map { String(form[$0.upperBound...].prefix(36)) })
            let closed = try await world.send(
                .POST, APIURL.close(episode).path, token: try await world.token("erin@demo.test"),
                raw: #"{"reason": "needs-met", "note": "Going well."}"#)
            #expect(closed.status == .ok)
            let ping = try await writer.post(SiteURL.editingPing(UUID(uuidString: session)!).path, [("field", "childViews")])
            #expect(ping.status.code >= 400 && ping.status.code < 500, "\(ping.status)")
            let marked = try #require(try await EditingSession.find(UUID(uuidString: session), on: world.app.db))
            #expect(marked.part == nil && marked.marks == 0)
        }
    }
}
