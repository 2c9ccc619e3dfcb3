import CAFCore
import Fluent
import Foundation
import OneTimePasswords
import Testing
import VaporTesting

@testable import App

@Suite struct AdminTests {
    @Test func laAdminsManageTheirOwnLAsAccountsOnly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let amy = try await world.token("amy@demo.test")
            #expect(try await world.send(.GET, APIURL.adminAccounts.path, token: amy).status == .forbidden)
            let list = try world.json(try await world.send(.GET, APIURL.adminAccounts.path, token: fay))
            let organisations = list["organisations"] as? [[String: Any]] ?? []
            #expect(!organisations.contains { $0["name"] as? String == "Stowmarket High School" })
            let emails = (list["practitioners"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
            #expect(emails.contains("amy@demo.test") && !emails.contains("hana@demo.test"))

            let nursery = try await world.send(
                .POST, APIURL.adminOrganisations.path, token: fay,
                raw: #"{"name": "Parkside Nursery", "agencyType": "early-years"}"#)
            #expect(nursery.status == .created)
            let nurseryID = try world.json(nursery)["id"] as! String
            let suffolkSchool = try #require(
                try await Organisation.query(on: world.app.db).filter(\.$name == "Stowmarket High School").first())
            let elsewhere = try await world.send(
                .POST, APIURL.adminPractitioners.path, token: fay,
                raw:
                    #"{"email": "kay@demo.test", "name": "Kay Brook", "roles": ["practitioner"], "organisationId": "\#(suffolkSchool.id!.uuidString)"}"#
            )
            #expect(try world.error(elsewhere).field == "organisationId")
            let created = try await world.send(
                .POST, APIURL.adminPractitioners.path, token: fay,
                raw:
                    #"{"email": "kay@demo.test", "name": "Kay Brook", "roles": ["practitioner"], "organisationId": "\#(nurseryID)"}"#
            )
            #expect(created.status == .created)
            try await world.choosePassword("kay@demo.test", "copper meadow lantern 7")
            let kay = try await world.send(
                .POST, APIURL.token.path, json: ["email": "kay@demo.test", "password": "copper meadow lantern 7"])
            #expect(kay.status == .created)
            let kayToken = try world.decode(TestWorld.TokenBody.self, kay).token

            let amyID = try #require(
                try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()?.id)
            let disabled = try await world.administer(
                APIURL.adminPractitioner(amyID).path, token: fay, raw: #"{"disabled": true}"#)
            #expect(try world.json(disabled)["disabled"] as? Bool == true)
            #expect(try await world.send(.GET, APIURL.me.path, token: amy).status == .unauthorized)
            #expect(try await APIToken.query(on: world.app.db).filter(\.$practitioner.$id == amyID).count() == 0)
            let hanaID = try #require(
                try await Practitioner.query(on: world.app.db).filter(\.$email == "hana@demo.test").first()?.id)
            #expect(
                try await world.administer(APIURL.adminPractitioner(hanaID).path, token: fay, raw: #"{"disabled": true}"#)
                    .status == .notFound)
            #expect(try await world.send(.GET, APIURL.me.path, token: kayToken).status == .ok)
            // An administrator still never reads a child.
            #expect(try await world.search("q=lily", token: fay).status == .forbidden)
        }
    }

    @Test func theAdminPageCreatesAndDisablesAccounts() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = PageTests.Browser(world)
            try await fay.signIn("fay@demo.test")
            let home = try await fay.get(SiteURL.home.path)
            #expect(home.headers.first(name: .location) == SiteURL.admin.path)
            _ = try await fay.get(SiteURL.admin.path)
            let missing = try await fay.post(
                SiteURL.admin.path, [("kind", "practitioner"), ("name", "Kay Brook"), ("email", "kay@demo.test")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains(##"href="#organisationId""##))
            #expect(missing.body.string.contains(#"value="Kay Brook""#))
            let added = try await fay.post(
                SiteURL.admin.path,
                [("kind", "organisation"), ("organisationName", "Parkside Nursery"), ("agencyType", "early-years")])
            #expect(added.body.string.contains("Organisation added"))
            let amy = try #require(try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first())
            // A button from a list shown before another administrator's change saves nothing.
            let stale = try await fay.post(SiteURL.adminDisable(amy.id!).path, [("disabled", "yes"), ("version", "0")])
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("since you read it"))
            let disabled = try await fay.post(
                SiteURL.adminDisable(amy.id!).path, [("disabled", "yes"), ("version", "\(amy.version)")])
            #expect(disabled.body.string.contains("Amy Clarke is now disabled"))
        }
    }

    /// Separation of duties (issue 12): the attack was fay granting herself coordinator and
    /// then reading every episode in her LA.
    @Test func anAdministratorNeverHoldsACaseRoleNotEvenHerOwn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let amy = try await world.token("amy@demo.test")
            let episode = try await world.childWithEpisode(as: amy).episodeID
            let fayID = try await Practitioner.query(on: world.app.db).filter(\.$email == "fay@demo.test").first()!.id!
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            for (id, roles) in [
                (fayID, #"["la-admin", "coordinator"]"#), (fayID, #"["la-admin", "analyst"]"#),
                (ben.id!, #"["practitioner", "la-admin"]"#),
            ] {
                let response = try await world.administer(
                    APIURL.adminPractitioner(id).path, token: fay, raw: #"{"roles": \#(roles)}"#)
                #expect(response.status == .unprocessableEntity, "\(roles)")
                #expect(try world.error(response).field == "roles", "\(roles)")
            }
            let school = try await Organisation.query(on: world.app.db).filter(\.$name == "Riverside Primary School").first()!
            let created = try await world.send(
                .POST, APIURL.adminPractitioners.path, token: fay,
                raw:
                    #"{"email": "kay@demo.test", "name": "Kay Brook", "roles": ["la-admin", "safeguarding"], "organisationId": "\#(school.id!.uuidString)"}"#
            )
            #expect(created.status == .unprocessableEntity)
            #expect(try world.error(created).field == "roles")
            #expect(try await Practitioner.query(on: world.app.db).filter(\.$email == "kay@demo.test").count() == 0)
            let fayNow = try await Practitioner.find(fayID, on: world.app.db)!
            #expect(fayNow.roles == [.laAdmin])
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.roles == ben.roles)
            #expect(try await world.send(.GET, APIURL.episode(episode).path, token: fay).status == .forbidden)
        }
    }

    /// Coordinator, safeguarding and la-admin wait for a second administrator: the one who
    /// asked, and the one who would hold them, cannot decide.
    @Test func privilegedRolesNeedASecondAdministrator() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let amy = try await world.token("amy@demo.test")
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            let episode = try await world.childWithEpisode(as: amy).episodeID

            let asked = try await world.administer(
                APIURL.adminPractitioner(ben.id!).path, token: fay,
                raw: #"{"roles": ["practitioner", "coordinator"], "jobTitle": "Health visitor lead"}"#)
            #expect(asked.status == .ok)
            let account = try world.json(asked)
            #expect(account["roles"] as? [String] == ["practitioner"])
            #expect(account["pendingRoles"] as? [String] == ["coordinator", "practitioner"])
            #expect(account["jobTitle"] as? String == "Health visitor lead")
            let benToken = try await world.token("ben@demo.test")
            #expect(try await world.send(.GET, APIURL.episode(episode).path, token: benToken).status == .forbidden)

            let queue = try world.json(try await world.send(.GET, APIURL.adminRoleGrants.path, token: gil))
            let grants = queue["grants"] as? [[String: Any]] ?? []
            #expect(grants.count == 1)
            let grantID = UUID(uuidString: grants.first?["id"] as? String ?? "")!
            let decision = APIURL.adminRoleGrantDecision(grantID).path
            // The administrator who asked cannot approve her own request.
            let own = try await world.send(.POST, decision, token: fay, raw: #"{"decision": "approved"}"#)
            #expect(own.status == .forbidden)
            #expect(try await world.send(.POST, decision, token: amy, raw: #"{"decision": "approved"}"#).status == .forbidden)
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.roles == [.practitioner])

            let approved = try await world.send(
                .POST, decision, token: gil, raw: #"{"decision": "approved", "note": "Agreed with the head of service"}"#)
            #expect(approved.status == .ok)
            #expect(try world.json(approved)["decision"] as? String == "approved")
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.roles == [.practitioner, .coordinator])
            #expect(try await world.send(.GET, APIURL.episode(episode).path, token: benToken).status == .ok)
            let again = try await world.send(.POST, decision, token: gil, raw: #"{"decision": "refused"}"#)
            #expect(again.status == .conflict)
            #expect(try world.error(again).code == "already-decided")

            // A new account asked for with safeguarding starts without it; refused, it never has it.
            let school = try await Organisation.query(on: world.app.db).filter(\.$name == "Riverside Primary School").first()!
            let created = try await world.send(
                .POST, APIURL.adminPractitioners.path, token: gil,
                raw:
                    #"{"email": "kay@demo.test", "name": "Kay Brook", "roles": ["safeguarding"], "organisationId": "\#(school.id!.uuidString)"}"#
            )
            #expect(created.status == .created)
            #expect(try world.json(created)["roles"] as? [String] == [])
            #expect(try world.json(created)["pendingRoles"] as? [String] == ["safeguarding"])
            let kayGrant = try await RoleGrant.query(on: world.app.db).filter(\.$decision == .pending).first()!
            let refused = try await world.send(
                .POST, APIURL.adminRoleGrantDecision(kayGrant.id!).path, token: fay, raw: #"{"decision": "refused"}"#)
            #expect(refused.status == .ok)
            let kay = try await Practitioner.query(on: world.app.db).filter(\.$email == "kay@demo.test").first()!
            #expect(kay.roles.isEmpty)
            // Another administrator, too, is asked for and approved by a second.
            let promote = try await world.administer(
                APIURL.adminPractitioner(kay.id!).path, token: fay, raw: #"{"roles": ["la-admin"]}"#)
            #expect(try world.json(promote)["pendingRoles"] as? [String] == ["la-admin"])
            #expect(try await Practitioner.find(kay.id!, on: world.app.db)!.roles.isEmpty)
        }
    }

    /// Found by review: an LA left without two administrators, a stale grant approved after
    /// a later change, and two requests at once for one account.
    @Test func grantsStayTrueAndTheLAKeepsTwoAdministrators() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let gilID = try await Practitioner.query(on: world.app.db).filter(\.$email == "gil@demo.test").first()!.id!
            for raw in [#"{"disabled": true}"#, #"{"roles": ["practitioner"]}"#] {
                let response = try await world.administer(APIURL.adminPractitioner(gilID).path, token: fay, raw: raw)
                #expect(response.status == .unprocessableEntity, "\(raw)")
            }
            #expect(try await Practitioner.find(gilID, on: world.app.db)!.disabled == false)

            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            let path = APIURL.adminPractitioner(ben.id!).path
            _ = try await world.administer(path, token: fay, raw: #"{"roles": ["practitioner", "coordinator"]}"#)
            let asked = try await RoleGrant.query(on: world.app.db).filter(\.$decision == .pending).first()!
            // gil changes ben's roles another way: fay's request no longer stands.
            _ = try await world.administer(path, token: gil, raw: #"{"roles": ["analyst"]}"#)
            let overtaken = try await RoleGrant.find(asked.id!, on: world.app.db)!
            #expect(overtaken.decision == .refused)
            #expect(overtaken.note == "Overtaken by a later change")
            let decide = try await world.send(
                .POST, APIURL.adminRoleGrantDecision(asked.id!).path, token: gil, raw: #"{"decision": "approved"}"#)
            #expect(decide.status == .conflict)
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.roles == [.analyst])

            // One pending grant an account, whatever the race.
            let fayID = try await Practitioner.query(on: world.app.db).filter(\.$email == "fay@demo.test").first()!.id!
            let la = try await Organisation.find(ben.$organisation.id, on: world.app.db)!.$localAuthority.id
            try await RoleGrant(practitionerID: ben.id!, localAuthorityID: la, roles: [.manager], requestedBy: fayID)
                .create(on: world.app.db)
            await #expect(throws: (any Error).self) {
                try await RoleGrant(practitionerID: ben.id!, localAuthorityID: la, roles: [.coordinator], requestedBy: fayID)
                    .create(on: world.app.db)
            }
        }
    }

    /// Found by review: the same administrator deciding one grant twice at once got 200 twice.
    @Test func aGrantIsDecidedOnceEvenByTwoRequestsAtOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let gil = try await world.token("gil@demo.test")
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            _ = try await world.administer(
                APIURL.adminPractitioner(ben.id!).path, token: fay, raw: #"{"roles": ["practitioner", "coordinator"]}"#)
            let grant = try await RoleGrant.query(on: world.app.db).filter(\.$decision == .pending).first()!
            let path = APIURL.adminRoleGrantDecision(grant.id!).path
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for decision in ["approved", "refused", "approved", "refused"] {
                    group.addTask { try await world.send(.POST, path, token: gil, raw: #"{"decision": "\#(decision)"}"#).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 3, "\(statuses)")
            let decided = try await AuditEvent.query(on: world.app.db).filter(\.$detail ~~ "ben@demo.test: roles").all()
                .filter { $0.detail.hasSuffix("approved") || $0.detail.hasSuffix("refused") }
            #expect(decided.count == 1)
        }
    }

    /// Issue 12: a reset of someone's second factor left their page sessions alive.
    @Test func aSecondFactorResetEndsThePageSessionsToo() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let ben = PageTests.Browser(world)
            try await ben.signIn("ben@demo.test")
            #expect(try await ben.get(SiteURL.home.path).status == .ok)
            let account = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            account.totpSecret = try TwoFactor.seal(TOTP.newSecret(), for: account, keys: try world.app.requireSecrets())
            try await account.save(on: world.app.db)
            let fay = try await world.token("fay@demo.test")
            let reset = try await world.administer(
                APIURL.adminPractitioner(account.id!).path, token: fay, raw: #"{"resetTwoFactor": true}"#)
            #expect(reset.status == .ok)
            let after = try await ben.get(SiteURL.home.path)
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location) == SiteURL.signIn.path)
            // Signing in again works, with a session that begins after the reset.
            try await ben.signIn("ben@demo.test")
        }
    }

    @Test func theSecondAdministratorDecidesOnTheAdminPage() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            _ = try await world.administer(
                APIURL.adminPractitioner(ben.id!).path, token: fay, raw: #"{"roles": ["practitioner", "safeguarding"]}"#)
            let grant = try await RoleGrant.query(on: world.app.db).first()!

            let asker = PageTests.Browser(world)
            try await asker.signIn("fay@demo.test")
            let faysPage = try await asker.get(SiteURL.admin.path).body.string
            #expect(faysPage.contains("Roles awaiting a second administrator"))
            #expect(faysPage.contains("Another administrator decides"))
            #expect(!faysPage.contains("Approve roles for Ben Okafor"))

            let second = PageTests.Browser(world)
            try await second.signIn("gil@demo.test")
            #expect(try await second.get(SiteURL.admin.path).body.string.contains("Approve roles for Ben Okafor"))
            let decided = try await second.post(SiteURL.adminRoleGrant(grant.id!).path, [("decision", "approved")])
            #expect(decided.status == .ok)
            #expect(decided.body.string.contains("Roles approved for Ben Okafor"))
            #expect(try await Practitioner.find(ben.id!, on: world.app.db)!.roles == [.practitioner, .safeguarding])
        }
    }

    @Test func laAdminsChangeAccountsAndResetTwoFactor() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let ben = try await Practitioner.query(on: world.app.db).filter(\.$email == "ben@demo.test").first()!
            let fayID = try await Practitioner.query(on: world.app.db).filter(\.$email == "fay@demo.test").first()!.id!
            let school = try await Organisation.query(on: world.app.db).filter(\.$name == "Riverside Primary School").first()!
            let suffolk = try await Organisation.query(on: world.app.db).filter(\.$name == "Stowmarket High School").first()!
            let path = APIURL.adminPractitioner(ben.id!).path

            let changed = try await world.administer(
                path, token: fay,
                raw:
                    #"{"name": "Ben Okafor-Hale", "jobTitle": "Specialist health visitor", "roles": ["practitioner", "manager"], "organisationId": "\#(school.id!.uuidString)"}"#
            )
            #expect(changed.status == .ok)
            let body = try world.json(changed)
            #expect(body["name"] as? String == "Ben Okafor-Hale")
            // Manager opens an organisation's records: it waits for a second administrator.
            #expect(body["roles"] as? [String] == ["practitioner"])
            #expect(body["pendingRoles"] as? [String] == ["manager", "practitioner"])
            #expect((body["organisation"] as? [String: Any])?["name"] as? String == "Riverside Primary School")
            for (raw, field) in [
                (#"{"name": "  "}"#, "name"), (#"{"roles": []}"#, "roles"),
                (#"{"organisationId": "\#(suffolk.id!.uuidString)"}"#, "organisationId"),
            ] {
                #expect(try world.error(try await world.administer(path, token: fay, raw: raw)).field == field, "\(raw)")
            }
            let fayPath = APIURL.adminPractitioner(fayID).path
            #expect(
                try world.error(try await world.administer(fayPath, token: fay, raw: #"{"disabled": true}"#)).field
                    == "disabled")
            #expect(
                try world.error(try await world.administer(fayPath, token: fay, raw: #"{"roles": ["practitioner"]}"#)).field
                    == "roles")

            // A lost phone: the reset ends the account's tokens, and its next sign-in sets up again.
            ben.totpSecret = try TwoFactor.seal(TOTP.newSecret(), for: ben, keys: try world.app.requireSecrets())
            try await ben.save(on: world.app.db)
            try await APIToken(tokenHash: Auth.digest("ben-token"), practitionerID: ben.id!, expiresAt: Date() + 3600)
                .create(on: world.app.db)
            let reset = try await world.administer(path, token: fay, raw: #"{"resetTwoFactor": true}"#)
            #expect(try world.json(reset)["twoFactor"] as? Bool == false)
            #expect(try await APIToken.query(on: world.app.db).filter(\.$practitioner.$id == ben.id!).count() == 0)
            let event = try await AuditEvent.query(on: world.app.db).filter(\.$action == AuditAction.administerAccounts.rawValue)
                .sort(\.$sequence, .descending).first()
            #expect(event?.detail == "ben@demo.test: reset two-factor")
        }
    }

    @Test func laAdminsRenameTheirOwnOrganisationsOnly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let fay = try await world.token("fay@demo.test")
            let school = try await Organisation.query(on: world.app.db).filter(\.$name == "Riverside Primary School").first()!
            let suffolk = try await Organisation.query(on: world.app.db).filter(\.$name == "Stowmarket High School").first()!
            let renamed = try await world.administer(
                APIURL.adminOrganisation(school.id!).path, token: fay, raw: #"{"name": "Riverside Primary Academy"}"#)
            #expect(try world.json(renamed)["name"] as? String == "Riverside Primary Academy")
            #expect(try world.json(renamed)["agencyType"] as? String == "education")
            let clash = try await world.administer(
                APIURL.adminOrganisation(school.id!).path, token: fay,
                raw: #"{"name": "Cambridgeshire Community Health"}"#)
            #expect(try world.error(clash).field == "name")
            let elsewhere = try await world.administer(
                APIURL.adminOrganisation(suffolk.id!).path, token: fay, raw: #"{"name": "Mine now"}"#)
            #expect(elsewhere.status == .notFound)
            let amy = try await world.token("amy@demo.test")
            #expect(
                try await world.administer(APIURL.adminOrganisation(school.id!).path, token: amy, raw: #"{"name": "X"}"#).status
                    == .forbidden)
        }
    }
}
