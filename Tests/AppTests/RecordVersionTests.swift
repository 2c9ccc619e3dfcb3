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
