import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 15: where a child lives, and an administrator's organisations and accounts, change
/// only on the version the writer read. A change on an older one overwrites nothing: the API
/// answers 412 naming who changed it and when, the page 409 with what is recorded now above
/// what was typed; a change naming no version is refused (428).
@Suite struct RecordVersionTests {
    static let home = #"{"address": "4 Hill Street, Ely", "postcode": "CB7 4AA", "school": "Riverside Primary School"}"#
    static let elsewhere = #"{"address": "9 Mill Lane, Soham", "postcode": "CB7 5AA", "school": "Soham Primary School"}"#

    @Test func aStaleChangeToWhereAChildLivesOverwritesNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let path = APIURL.childWhereabouts(child).path
            let first: HTTPHeaders = ["If-Match": RecordVersion.etag(1)]
            let none = try await world.send(.PUT, path, token: amy, raw: Self.home)
            #expect(none.status == .preconditionRequired)
            #expect(try world.error(none).code == "if-match-required")
            let saved = try await world.send(.PUT, path, token: amy, raw: Self.home, headers: first)
            #expect(saved.status == .ok)
            #expect(saved.headers.first(name: .eTag) == RecordVersion.etag(2))
            let stale = try await world.send(.PUT, path, token: amy, raw: Self.elsewhere, headers: first)
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Amy"), "\(stale.body.string)")
            #expect(stale.headers.first(name: .eTag) == RecordVersion.etag(2))
            for hostile in ["*", #""99999999999999999999999""#, String(repeating: "9", count: 100_000)] {
                let refused = try await world.send(.PUT, path, token: amy, raw: Self.elsewhere, headers: ["If-Match": hostile])
                #expect(refused.status == .unprocessableEntity)
                #expect(try world.error(refused).field == "If-Match")
            }
            let stored = try await Child.find(child, on: world.app.db)!
            #expect(stored.address == "4 Hill Street, Ely" && stored.whereaboutsVersion == 2)
            #expect(try await ChildAddress.query(on: world.app.db).filter(\.$child.$id == child).count() == 1)
        }
    }

    /// Of changes at once made on one version, one is saved and the rest are told it changed.
    @Test func changesToWhereAChildLivesOnOneVersionHaveOneWinner() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let path = APIURL.childWhereabouts(child).path
            for round in 1...25 {
                let statuses = try await StateRaceTests.atOnce(4) { index in
                    try await world.send(
                        .PUT, path, token: amy, raw: #"{"address": "\#(index) Round \#(round) Road, Ely"}"#,
                        headers: ["If-Match": RecordVersion.etag(round)]
                    ).status
                }
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .preconditionFailed }.count == 3, "round \(round): \(statuses)")
            }
            #expect(try await Child.find(child, on: world.app.db)!.whereaboutsVersion == 26)
            #expect(try await ChildAddress.query(on: world.app.db).filter(\.$child.$id == child).count() == 25)
        }
    }

    /// The page keeps what was typed, shows what is recorded now, and saves on the new version.
    @Test func theWhereaboutsPageShowsAChangeMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let page = PageTests.Browser(world)
            try await page.signIn("amy@demo.test")
            let opened = try await page.get(SiteURL.childWhereabouts(child).path)
            #expect(opened.body.string.contains(#"name="version" value="1""#))
            #expect(try await world.updateWhereabouts(child, token: amy, raw: Self.home).status == .ok)
            let typed = [("address", "9 Mill Lane, Soham"), ("postcode", "CB7 5AA"), ("school", "Soham Primary School")]
            for version in ["1", #""><script>alert(1)</script>"#, ""] {
                let conflict = try await page.post(SiteURL.childWhereabouts(child).path, [("version", version)] + typed)
                #expect(conflict.status == .conflict, "version \(version)")
                let html = conflict.body.string
                #expect(html.contains("govuk-error-summary") && html.contains("since you read it"))
                #expect(html.contains("Recorded now") && html.contains("4 Hill Street, Ely"))
                #expect(html.contains("9 Mill Lane, Soham"), "what was typed is kept")
                #expect(html.contains(#"name="version" value="2""#))
                #expect(!html.contains("<script>alert"))
            }
            let resent = try await page.post(SiteURL.childWhereabouts(child).path, [("version", "2")] + typed)
            #expect(resent.status == .seeOther)
            #expect(try await Child.find(child, on: world.app.db)!.address == "9 Mill Lane, Soham")
        }
    }

    @Test func aStaleChangeToAnOrganisationOrAccountOverwritesNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let school = try await Organisation.query(on: world.app.db).filter(\.$name == "Riverside Primary School").first()!
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            for (path, first, second) in [
                (
                    APIURL.adminOrganisation(school.id!).path, #"{"name": "Riverside Academy"}"#,
                    #"{"name": "Riverside Free School"}"#
                ),
                (APIURL.adminPractitioner(ben.id!).path, #"{"jobTitle": "Health visitor lead"}"#, #"{"jobTitle": "Nurse"}"#),
            ] {
                #expect(try await world.send(.PATCH, path, token: fay, raw: first).status == .preconditionRequired)
                #expect(try await world.send(.PATCH, path, token: fay, raw: first, headers: ["If-Match": "\"1\""]).status == .ok)
                let stale = try await world.send(.PATCH, path, token: gil, raw: second, headers: ["If-Match": "\"1\""])
                #expect(stale.status == .preconditionFailed)
                #expect(try world.error(stale).message.contains("Fay"), "\(stale.body.string)")
            }
            #expect(try await Organisation.find(school.id!, on: world.app.db)!.name == "Riverside Academy")
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.jobTitle == "Health visitor lead")

            // The account page: a form opened before fay's change saves nothing (409).
            let page = PageTests.Browser(world)
            try await page.signIn("gil@demo.test")
            let opened = try await page.get(SiteURL.adminAccount(ben.id!).path)
            #expect(opened.body.string.contains(#"name="version" value="2""#))
            let conflict = try await page.post(
                SiteURL.adminAccount(ben.id!).path,
                [("version", "1"), ("name", "Ben Okafor"), ("jobTitle", "Nurse"), ("roles[]", "practitioner")])
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("since you read it"))
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.jobTitle == "Health visitor lead")
        }
    }

    /// Two administrators each disabling another at once must not leave their LA fewer than
    /// two enabled administrators: the count is made while the LA's changes take turns.
    @Test func administratorsDisabledAtOnceLeaveTwo() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let kay = try await Practitioner.query(on: db).filter(\.$email == "ben@demo.test").first()!
            let gilAccount = try await Practitioner.query(on: db).filter(\.$email == "gil@demo.test").first()!
            // A third administrator, so either change alone is allowed.
            kay.roleStorage = Set([Role.laAdmin]).storage
            kay.$organisation.id = gilAccount.$organisation.id
            try await kay.save(on: db)
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let statuses = try await StateRaceTests.atOnce(2) { index in
                let (token, target) = index == 0 ? (fay, gilAccount.id!) : (gil, kay.id!)
                return try await world.send(
                    .PATCH, APIURL.adminPractitioner(target).path, token: token, raw: #"{"disabled": true}"#,
                    headers: ["If-Match": "\"1\""]
                ).status
            }
            #expect(statuses.allSatisfy { $0.code < 500 }, "\(statuses)")
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            let enabled = try await Administration.enabledAdministrators(
                in: try await Organisation.find(gilAccount.$organisation.id!, on: db)!.$localAuthority.id, on: db)
            #expect(enabled == 2)
        }
    }
    /// Found by review: shielding a child changes who may see where they live, so a change to
    /// the whereabouts opened before it saves nothing.
    @Test func aShieldSetMeanwhileMakesAChangeToWhereaboutsStale() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let erin = try await world.token("erin@demo.test")
            let child = try await world.registerChild(as: try await world.token("amy@demo.test"))
            let shield = try await world.send(
                .PUT, APIURL.childShield(child).path, token: erin, raw: #"{"shielded": true, "reason": "Court order."}"#)
            #expect(shield.status == .ok)
            let stale = try await world.send(
                .PUT, APIURL.childWhereabouts(child).path, token: erin, raw: Self.home,
                headers: ["If-Match": RecordVersion.etag(1)])
            #expect(stale.status == .preconditionFailed)
            #expect(try await Child.find(child, on: world.app.db)!.address == nil)
        }
    }

    /// Found by review: an approval changes the account as any change does, so a form read
    /// before it saves nothing.
    @Test func anApprovalMovesTheAccountOn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let ben = try await Practitioner.query(on: db).filter(\.$email == "ben@demo.test").first()!
            let path = APIURL.adminPractitioner(ben.id!).path
            let asked = try await world.send(
                .PATCH, path, token: fay, raw: #"{"roles": ["practitioner", "coordinator"]}"#, headers: ["If-Match": "\"1\""])
            #expect(asked.status == .ok)
            let grant = try #require(try await RoleGrant.query(on: db).filter(\.$decision == .pending).first())
            let approved = try await world.send(
                .POST, APIURL.adminRoleGrantDecision(grant.id!).path, token: gil, raw: #"{"decision": "approved"}"#)
            #expect(approved.status == .ok)
            let stale = try await world.send(
                .PATCH, path, token: fay, raw: #"{"roles": ["practitioner"]}"#, headers: ["If-Match": "\"2\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Gil"), "\(stale.body.string)")
            #expect(try await Practitioner.find(ben.id!, on: db)!.roles == [.practitioner, .coordinator])
        }
    }

    /// Found by review: approving roles that no longer include la-admin removes an
    /// administrator, and is refused if it would leave the LA fewer than two.
    @Test func anApprovalNeverLeavesTheLAFewerThanTwoAdministrators() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let gilAccount = try await Practitioner.query(on: db).filter(\.$email == "gil@demo.test").first()!
            let fayAccount = try await Practitioner.query(on: db).filter(\.$email == "fay@demo.test").first()!
            let kay = try await Practitioner.query(on: db).filter(\.$email == "ben@demo.test").first()!
            kay.roleStorage = Set([Role.laAdmin]).storage
            kay.$organisation.id = gilAccount.$organisation.id
            try await kay.save(on: db)
            let asked = try await world.administer(
                APIURL.adminPractitioner(kay.id!).path, token: fay, raw: #"{"roles": ["coordinator"]}"#)
            #expect(try world.json(asked)["pendingRoles"] as? [String] == ["coordinator"])
            let disabled = try await world.administer(
                APIURL.adminPractitioner(fayAccount.id!).path, token: gil, raw: #"{"disabled": true}"#)
            #expect(disabled.status == .ok)
            let grant = try #require(try await RoleGrant.query(on: db).filter(\.$decision == .pending).first())
            let refused = try await world.send(
                .POST, APIURL.adminRoleGrantDecision(grant.id!).path, token: gil, raw: #"{"decision": "approved"}"#)
            #expect(refused.status == .unprocessableEntity)
            #expect(try world.error(refused).field == "decision")
            #expect(try await Practitioner.find(kay.id!, on: db)!.roles == [.laAdmin])
            #expect(try await RoleGrant.find(grant.id!, on: db)!.decision == .pending)
        }
    }
}

/// Issue 15: who is in an episode's team, who leads it and the consent move on one version
/// (`teamVersion`). A lead or consent given again decided on an older one changes nothing;
/// a withdrawal or override, and a member added, stand on the team as it is now.
@Suite struct TeamVersionTests {
    static let narrower =
        #"{"kind": "given", "consent": {"givenBy": "parent", "name": "Sue Evans", "relationship": "Mother", "method": "verbal", "scope": {"store": true, "shareWithAgencyTypes": ["education", "health"]}}}"#

    @Test func consentGivenAgainNeverUndoesAWithdrawalMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let path = APIURL.consents(episode).path
            let read = try await world.send(.GET, APIURL.team(episode).path, token: amy)
            let opened: HTTPHeaders = ["If-Match": try #require(read.headers.first(name: .eTag))]
            #expect(try world.json(read)["teamVersion"] as? Int == 1)
            let none = try await world.send(.POST, path, token: amy, raw: Self.narrower)
            #expect(none.status == .preconditionRequired)
            // Withdrawn by another tab meanwhile, without naming a version: it stands.
            let withdrawn = try await world.send(
                .POST, path, token: amy, raw: #"{"kind": "withdrawn", "reason": "Mum withdrew on the phone"}"#)
            #expect(withdrawn.status == .created)
            #expect(withdrawn.headers.first(name: .eTag) == "\"2\"")
            let stale = try await world.send(.POST, path, token: amy, raw: Self.narrower, headers: opened)
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Amy"))
            #expect(try await Access.latestConsent(of: episode, on: world.app.db)?.kind == .withdrawn)
        }
    }

    @Test func aLeadAgreedMeanwhileIsNotReplacedUnseen() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let path = APIURL.leadProfessional(episode).path
            let ben = #"{"practitionerEmail": "ben@demo.test", "basis": "assigned-by-coordinator"}"#
            #expect(try await world.send(.POST, path, token: erin, raw: ben).status == .preconditionRequired)
            let made = try await world.send(.POST, path, token: erin, raw: ben, headers: ["If-Match": "\"1\""])
            #expect(made.status == .created)
            #expect(made.headers.first(name: .eTag) == "\"2\"", "the team's version after it, for the next change")
            let mia = #"{"practitionerEmail": "mia@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "Cover"}"#
            let stale = try await world.send(.POST, path, token: erin, raw: mia, headers: ["If-Match": "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers.first(name: .eTag) == "\"2\"")
            let lead = try await Episode.query(on: world.app.db).filter(\.$id == episode).with(\.$leadProfessional).first()
            #expect(lead?.leadProfessional?.email == "ben@demo.test")
            // A member added names a version only if the client wants the check.
            let share = APIURL.shares(episode).path
            let late = try await world.send(
                .POST, share, token: amy, raw: #"{"practitionerEmail": "mia@demo.test"}"#, headers: ["If-Match": "\"1\""])
            #expect(late.status == .preconditionFailed)
            let added = try await world.send(.POST, share, token: amy, raw: #"{"practitionerEmail": "mia@demo.test"}"#)
            #expect(added.status == .created)
            #expect(added.headers.first(name: .eTag) == "\"3\"")
            let again = try await world.send(.POST, share, token: amy, raw: #"{"practitionerEmail": "mia@demo.test"}"#)
            #expect(again.headers.first(name: .eTag) == "\"3\"", "already in the team: nothing moved")
            let given = try await world.send(
                .POST, APIURL.consents(episode).path, token: erin, raw: TeamVersionTests.narrower,
                headers: ["If-Match": "\"3\""])
            #expect(given.status == .created)
            #expect(given.headers.first(name: .eTag) == "\"4\"")
        }
    }

    /// The team page: a lead chosen on a page opened before another change saves nothing and
    /// says who changed the team; sent again from the page it came back on, it is saved.
    @Test func theTeamPageShowsAChangeMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let page = PageTests.Browser(world)
            try await page.signIn("erin@demo.test")
            let opened = try await page.get(SiteURL.team(episode).path)
            #expect(opened.body.string.contains(#"name="teamVersion" value="1""#))
            let share = try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, raw: #"{"practitionerEmail": "ben@demo.test"}"#)
            #expect(share.status == .created)
            let amyID = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!.id!
            let choice = [("practitionerId", amyID.uuidString), ("basis", "assigned-by-coordinator"), ("handoverNote", "")]
            let conflict = try await page.post(SiteURL.leadProfessional(episode).path, choice)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("Amy Clarke changed this team"))
            #expect(conflict.body.string.contains(#"name="teamVersion" value="2""#))
            #expect(try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id == nil)
            let saved = try await page.post(SiteURL.leadProfessional(episode).path, choice)
            #expect(saved.status == .ok)
            #expect(try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id == amyID)
        }
    }

    /// Found by review: a form that comes back with another problem keeps the team version it
    /// was opened at, so a change made meanwhile is still caught when it is sent again.
    @Test func aFormBackWithAProblemStillCatchesAChangeMadeMeanwhile() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let page = PageTests.Browser(world)
            try await page.signIn("erin@demo.test")
            _ = try await page.get(SiteURL.team(episode).path)
            let share = try await world.send(
                .POST, APIURL.shares(episode).path, token: amy, raw: #"{"practitionerEmail": "ben@demo.test"}"#)
            #expect(share.status == .created)
            let basis = ("basis", "assigned-by-coordinator")
            let unchosen = try await page.post(SiteURL.leadProfessional(episode).path, [("practitionerId", ""), basis])
            #expect(unchosen.status == .unprocessableEntity)
            #expect(unchosen.body.string.contains(#"name="teamVersion" value="1""#))
            let amyID = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!.id!
            let resent = try await page.post(
                SiteURL.leadProfessional(episode).path, [("practitionerId", amyID.uuidString), basis])
            #expect(resent.status == .conflict)
            #expect(try await Episode.find(episode, on: world.app.db)?.$leadProfessional.id == nil)

            // The episode page's share form likewise.
            let sharing = PageTests.Browser(world)
            try await sharing.signIn("amy@demo.test")
            _ = try await sharing.get(SiteURL.episode(episode).path)
            let lead = try await world.send(
                .POST, APIURL.leadProfessional(episode).path, token: erin,
                raw: #"{"practitionerEmail": "ben@demo.test", "basis": "assigned-by-coordinator"}"#,
                headers: ["If-Match": "\"2\""])
            #expect(lead.status == .created)
            let unknown = try await sharing.post(SiteURL.shareEpisode(episode).path, [("practitionerEmail", "nobody@demo.test")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains(#"name="teamVersion" value="2""#))
            let late = try await sharing.post(SiteURL.shareEpisode(episode).path, [("practitionerEmail", "mia@demo.test")])
            #expect(late.status == .conflict)
            #expect(try await EpisodeShare.query(on: world.app.db).filter(\.$episode.$id == episode).count() == 1)
        }
    }

    /// Found by review: an access request granted as consent is withdrawn comes wholly before
    /// the withdrawal or is refused; never a share made after it.
    @Test func aGrantRacingAWithdrawalNeverSharesAfterIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let ben = try await world.token("ben@demo.test")
            for round in 1...StateRaceTests.rounds {
                let (episode, id) = try await StateRaceTests.episodeAskedToJoin(world, by: amy, asking: ben)
                let statuses = try await StateRaceTests.atOnce(2) { index in
                    index == 0
                        ? try await world.send(
                            .POST, APIURL.accessRequestDecision(id).path, token: amy, raw: #"{"decision": "granted"}"#
                        ).status
                        : try await world.send(
                            .POST, APIURL.consents(episode).path, token: amy,
                            raw: #"{"kind": "withdrawn", "reason": "Mum withdrew on the phone"}"#
                        ).status
                }
                #expect(statuses[1] == .created, "round \(round): \(statuses)")
                #expect(
                    [.ok, .preconditionFailed, .unprocessableEntity, .forbidden].contains(statuses[0]),
                    "round \(round): \(statuses)")
                let events = try await AuditEvent.query(on: world.app.db).filter(\.$episodeID == episode)
                    .filter(\.$action ~~ ["decide-access-request", "change-consent"]).sort(\.$sequence).all()
                let shares = try await EpisodeShare.query(on: world.app.db).filter(\.$episode.$id == episode).count()
                #expect(shares == (statuses[0] == .ok ? 1 : 0), "round \(round)")
                if statuses[0] == .ok {
                    #expect(events.map(\.action) == ["decide-access-request", "change-consent"], "round \(round)")
                }
            }
        }
    }
}
