import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 13: a shielded child's whereabouts leaked through the assessment, the print view, "who
/// is involved", the contacts column and refusal messages. Every page and DTO that renders the
/// child is walked as each persona; the shielded values appear only to the coordinators and
/// safeguarding staff of the child's LA.
@Suite struct ShieldSurfaceTests {
    /// Where the child and family are, and who serves them: what the shield must hold back.
    static let whereabouts = [
        "7 Secret Row", "CB4 9ZZ", "Hidden Valley", "Quiet Lane Surgery", "01223 999888", "07700 900111", "01223 999777",
    ]

    /// The team's own details, which say where the child goes to school or is seen.
    static let team: [String: [String]] = [
        "amy@demo.test": ["Riverside Primary School", "01223 000101", "amy@demo.test"],
        "ben@demo.test": ["Cambridgeshire Community Health", "01223 000102", "ben@demo.test"],
        "dan@demo.test": ["Cambridgeshire Youth Offending Service", "01223 000104", "dan@demo.test"],  // asking to join
    ]

    struct Shielded {
        let child: UUID
        let episode: UUID
        let meeting: UUID
        let accessRequest: UUID
    }

    /// A child whose whereabouts, assessment, team, service and meeting all say where they are;
    /// then the coordinator shields them.
    func shieldedChild(_ world: TestWorld) async throws -> Shielded {
        let amy = try await world.token("amy@demo.test")
        let ben = try await world.token("ben@demo.test")
        let erin = try await world.token("erin@demo.test")
        let created = try await world.childWithEpisode(as: amy)
        let (child, episode) = (created.childID, created.episodeID)
        func expectOK(_ response: TestingHTTPResponse, _ what: String) {
            #expect(response.status.code < 300, "\(what): \(response.body.string)")
        }
        expectOK(
            try await world.updateWhereabouts(
                child, token: amy,
                raw: try TestWorld.jsonText([
                    "address": "7 Secret Row, Histon", "postcode": "CB4 9ZZ", "school": "Hidden Valley Primary",
                    "gpPractice": "Quiet Lane Surgery", "contactPhone": "01223 999888",
                ])), "whereabouts")
        expectOK(
            try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, json: ["practitionerEmail": "ben@demo.test"]), "share")
        expectOK(
            try await world.saveAssessment(
                episode, token: amy,
                raw: try TestWorld.jsonText([
                    "identifying": ["address": "7 Secret Row, Histon", "contactPhone": "01223 999888"],
                    "parents": [
                        [
                            "name": "Sue Rowan", "relationship": "Mother", "phone": "07700 900111",
                            "address": "7 Secret Row", "postcode": "CB4 9ZZ",
                        ]
                    ],
                    "assessor": ["name": "Amy Clarke", "organisation": "Riverside Primary School", "phone": "01223 000101"],
                    "services": [["service": "Hidden Valley Primary", "contact": "Ms Head, 01223 999777"]],
                    "reasonForAssessment": "Attendance has fallen.",
                ])), "assessment")
        expectOK(
            try await world.send(
                .POST, APIURL.childInvolvements(child).path, token: ben,
                json: [
                    "service": "Health visiting", "role": "Family support", "practitionerName": "Ben Okafor",
                    "startedOn": "2026-01-10",
                ]), "involvement")
        let meeting = try await world.send(
            .POST, APIURL.meetings(episode).path, token: amy,
            raw:
                #"{"scheduledAt": "\#(TeamTests.iso(Date().addingTimeInterval(86400)))", "place": "Hidden Valley Primary, room 4"}"#
        )
        expectOK(meeting, "meeting")
        expectOK(
            try await world.changeTeam(
                APIURL.leadProfessional(episode).path, token: erin,
                raw:
                    #"{"practitionerEmail": "amy@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "Amy knows them"}"#
            ),
            "lead")
        let dan = try await world.token("dan@demo.test")
        let asked = try await world.send(
            .POST, APIURL.episodeAccessRequests(episode).path, token: dan, json: ["reason": "I see him at the youth club."])
        expectOK(asked, "access request")
        expectOK(
            try await world.send(
                .PUT, APIURL.childShield(child).path, token: erin,
                raw: #"{"shielded": true, "reason": "The family has fled to a refuge."}"#), "shield")
        return Shielded(
            child: child, episode: episode, meeting: UUID(uuidString: try world.json(meeting)["id"] as! String)!,
            accessRequest: UUID(uuidString: try world.json(asked)["id"] as! String)!)
    }

    /// Every page and API read that renders the child, its episode or its team.
    func surfaces(_ shielded: Shielded) -> (pages: [String], api: [String]) {
        let (child, episode) = (shielded.child, shielded.episode)
        return (
            [
                SiteURL.child(child).path, SiteURL.childInvolvements(child).path, SiteURL.checklist(child: child).path,
                SiteURL.safeguarding(child: child).path, SiteURL.startEpisode(child: child).path, SiteURL.childAudit(child).path,
                SiteURL.episode(episode).path, SiteURL.assessment(episode: episode).path,
                SiteURL.editAssessment(episode: episode).path, SiteURL.printEpisode(episode).path, SiteURL.team(episode).path,
                SiteURL.meeting(shielded.meeting).path, SiteURL.plan(episode).path, SiteURL.comparison(episode).path,
                SiteURL.accessRequest(shielded.accessRequest).path, SiteURL.childNames(child).path,
                SiteURL.childDecisionsNotToShare(child).path, SiteURL.decisionsNotToShare.path, SiteURL.home.path,
            ],
            [
                APIURL.child(child).path, APIURL.episode(episode).path, APIURL.assessment(episode).path,
                APIURL.assessments(episode).path, APIURL.team(episode).path, APIURL.actions(episode).path,
                APIURL.episodes.path, APIURL.accessRequests.path, APIURL.audit.path + "?childId=\(child.uuidString)",
            ]
        )
    }

    @Test func theShieldHoldsOnEverySurfaceForEveryPersona() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let shielded = try await shieldedChild(world)
            let (pages, api) = surfaces(shielded)
            let personas = [
                "amy", "ben", "carla", "dan", "erin", "gus", "mia", "fay", "gil", "nat", "hana", "sid",
            ].map { "\($0)@demo.test" }
            let mayLook: Set<String> = ["erin@demo.test", "gus@demo.test"]  // Cambridgeshire's coordinator and safeguarding
            for email in personas {
                // What the shield holds back from this persona: not their own details.
                let secrets =
                    Self.whereabouts
                    + Self.team.filter { $0.key != email }.values.flatMap { $0 }
                    .filter { !(email == "mia@demo.test" && $0 == "Riverside Primary School") }  // her own school
                let browser = PageTests.Browser(world)
                try await browser.signIn(email)
                let token = try await world.token(email)
                var seen: [String: String] = [:]
                for path in pages {
                    let html = try await browser.get(path).body.string
                    seen[path] = html
                    // Every page, refusals included, is well-formed for a strict parser.
                    #expect(
                        PageStructure.parse(html).problem == nil, "\(email) \(path): \(PageStructure.parse(html).problem ?? "")")
                }
                for path in api { seen[path] = try await world.send(.GET, path, token: token).body.string }
                for (path, body) in seen {
                    let leaked = secrets.filter {
                        body.contains($0) || body.contains($0.replacingOccurrences(of: "@", with: "&#64;"))
                    }
                    if mayLook.contains(email) { continue }
                    #expect(leaked.isEmpty, "\(email) \(path): \(leaked)")
                }
                if mayLook.contains(email) {
                    // The walk can see: those allowed find the whereabouts where they belong.
                    #expect(seen[SiteURL.child(shielded.child).path]?.contains("7 Secret Row") == true, "\(email)")
                    if email == "erin@demo.test" {  // safeguarding staff read only referred episodes
                        #expect(seen[APIURL.assessment(shielded.episode).path]?.contains("07700 900111") == true)
                    }
                }
            }
        }
    }

    /// A team member behind the shield reads the assessment with the fields withheld, and
    /// saving it, from the page or the API, keeps what they could not see.
    @Test func anEditBehindTheShieldKeepsWhatItCouldNotSee() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let shielded = try await shieldedChild(world)
            let amy = try await world.token("amy@demo.test")
            let read = try world.json(try await world.send(.GET, APIURL.assessment(shielded.episode).path, token: amy))
            #expect(read["whereaboutsWithheld"] as? Bool == true)
            #expect((read["identifying"] as? [String: Any])?["address"] as? String == "")
            #expect((read["services"] as? [Any])?.isEmpty == true)

            // The API: sends back what it was given, with a parent added; renaming the mother, whose
            // details are withheld, is refused and changes nothing.
            var edited = read
            for key in [
                "episodeId", "version", "status", "createdAt", "updatedAt", "completedAt", "whereaboutsWithheld", "revisions",
            ] {
                edited[key] = nil
            }
            edited["parents"] = [["name": "Susan Rowan", "relationship": "Mother"]]
            let renamed = try await world.saveAssessment(shielded.episode, token: amy, raw: try TestWorld.jsonText(edited))
            #expect(renamed.status == .unprocessableEntity)
            #expect(try world.error(renamed).field == "parents")
            edited["reasonForAssessment"] = "Attendance has fallen further."
            edited["parents"] = [
                ["name": "Tom Rowan", "relationship": "Uncle", "phone": "0800"], ["name": "Sue Rowan", "relationship": "Mother"],
            ]
            let saved = try await world.saveAssessment(shielded.episode, token: amy, raw: try TestWorld.jsonText(edited))
            #expect(saved.status == .ok, "\(saved.body.string)")
            let stored = try await Episodes.latestAssessment(of: shielded.episode, on: world.app.db).content(
                try world.app.requireSecrets())
            #expect(stored.reasonForAssessment == "Attendance has fallen further.")
            #expect(stored.identifying.address == "7 Secret Row, Histon")
            #expect(stored.services.first?.service == "Hidden Valley Primary")
            #expect(stored.assessor.organisation == "Riverside Primary School")
            #expect(stored.parents.map(\.name) == ["Tom Rowan", "Sue Rowan"])
            #expect(stored.parents.map(\.phone) == ["0800", "07700 900111"])  // Sue's follow her
            #expect(stored.parents.last?.postcode == "CB4 9ZZ")

            // The page: the withheld fields are not offered, and saving keeps them.
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let form = try await browser.get(SiteURL.editAssessment(episode: shielded.episode).path).body.string
            #expect(!form.contains(#"name="identifying.address""#))
            #expect(!form.contains(#"name="services[0].service""#))
            #expect(form.contains(Shield.withheld))
            let posted = try await browser.post(
                SiteURL.editAssessment(episode: shielded.episode).path,
                [
                    ("reasonForAssessment", "Saved from the page."), ("parents[0].name", "Tom Rowan"),
                    ("parents[0].relationship", "Uncle"), ("parents[1].name", "Sue Rowan"), ("parents[1].relationship", "Mother"),
                    ("intent", "save"),
                ])
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            let after = try await Episodes.latestAssessment(of: shielded.episode, on: world.app.db).content(
                try world.app.requireSecrets())
            #expect(after.reasonForAssessment == "Saved from the page.")
            #expect(after.identifying.contactPhone == "01223 999888")
            #expect(after.parents.map(\.phone) == ["0800", "07700 900111"])
            #expect(after.parents.last?.address == "7 Secret Row")
        }
    }

    /// A refusal names whom to ask without saying where they work or how to reach them.
    @Test func aRefusalForAShieldedChildNamesNoOrganisation() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let shielded = try await shieldedChild(world)
            let carla = try await world.token("carla@demo.test")
            let refused = try await world.send(.GET, APIURL.episode(shielded.episode).path, token: carla)
            #expect(refused.status == .forbidden)
            let message = try world.error(refused).message
            #expect(message.contains("Amy Clarke"))
            #expect(message.contains("coordinators"))
            #expect(!message.contains("Riverside") && !message.contains("01223") && !message.contains("@"))
        }
    }
}
