import CAFCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Coordinators merge two index records of one child; nothing is lost and the merge is audited.
@Suite struct MergeTests {
    struct Pair {
        let survivor: UUID
        let duplicate: UUID
        let episode: UUID
    }

    /// Lily Evans, registered twice: the second record under a misspelt name with her UPN, an
    /// address, a service involved and an open CAF.
    func twoRecords(_ world: TestWorld) async throws -> Pair {
        let amy = try await world.token("amy@demo.test")
        let survivor = try await world.send(
            .POST, APIURL.children.path, token: amy,
            raw: try TestWorld.jsonText([
                "givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-05-01", "nhsNumber": "943 476 5919",
            ]))
        let duplicate = try await world.registerChild(as: amy, givenName: "Lilly", familyName: "Evens")
        let ids = (UUID(uuidString: try world.json(survivor)["id"] as! String)!, duplicate)
        let upn = try await world.updateWhereabouts(
            ids.1, token: amy,
            raw: try TestWorld.jsonText(["address": "4 Hill Street, Ely", "postcode": "CB7 4AA", "school": "Riverside"]))
        #expect(upn.status == .ok)
        let involvement = try await world.send(
            .POST, APIURL.childInvolvements(ids.1).path, token: amy,
            raw: try TestWorld.jsonText([
                "service": "SEN support", "role": "SENCo", "practitionerName": "Amy Clarke", "startedOn": "2026-01-10",
            ]))
        #expect(involvement.status == .created)
        let episode = try await world.send(
            .POST, APIURL.childEpisodes(ids.1).path, token: amy,
            raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
        #expect(episode.status == .created)
        return Pair(
            survivor: ids.0, duplicate: ids.1, episode: UUID(uuidString: try world.json(episode)["id"] as! String)!)
    }

    func merge(_ world: TestWorld, _ pair: Pair, as email: String, reason: String = "Same NHS number on the GP letter")
        async throws -> TestingHTTPResponse
    {
        try await world.send(
            .POST, APIURL.childMerge(pair.survivor).path, token: try await world.token(email),
            raw: try TestWorld.jsonText(["duplicateId": pair.duplicate.uuidString, "reason": reason]))
    }

    @Test func aCoordinatorMergesAndEverythingMovesToTheRecordKept() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let pair = try await twoRecords(world)
            let merged = try await merge(world, pair, as: "erin@demo.test")
            #expect(merged.status == .ok)
            let child = try world.json(merged)
            #expect(child["nhsNumber"] as? String == "9434765919")
            #expect(child["postcode"] as? String == "CB7 4AA")

            let erin = try await world.token("erin@demo.test")
            let record = try world.json(try await world.send(.GET, APIURL.child(pair.survivor).path, token: erin))
            let names = (record["names"] as! [[String: Any]]).map { "\($0["kind"]!) \($0["givenName"]!) \($0["familyName"]!)" }
            #expect(names == ["current Lily Evans", "previous Lilly Evens"])
            #expect(
                (record["episodes"] as! [[String: Any]]).map { $0["id"] as? String } == [pair.episode.uuidString])
            #expect((record["services"] as! [[String: Any]]).map { $0["service"] as? String } == ["SEN support"])
            #expect((record["whereabouts"] as? [String: Any])?["school"] as? String == "Riverside")

            // The old record's links answer 410 naming the record kept.
            let old = try await world.send(.GET, APIURL.child(pair.duplicate).path, token: erin)
            #expect(old.status == .gone)
            #expect(try world.error(old).code == "child-merged")
            #expect((try world.json(old)["error"] as? [String: Any])?["related"] as? [String] == [pair.survivor.uuidString])

            // Searches find the child once, by either name, date or postcode.
            for query in ["q=evens", "q=lily+evans", "dob=2016-05-01", "postcode=CB7+4AA"] {
                let found = try world.json(try await world.search(query, token: erin))
                let ids = (found["results"] as! [[String: Any]]).map { ($0["child"] as! [String: Any])["id"] as! String }
                #expect(ids == [pair.survivor.uuidString], "\(query)")
            }

            // No row of any child table still belongs to the old record.
            let sql = world.app.db as! any SQLDatabase
            for table in ChildMerges.movedTables + ["child_addresses", "child_names"] {
                let left = try await sql.raw("SELECT count(*) AS n FROM \(ident: table) WHERE child_id = \(bind: pair.duplicate)")
                    .first()!.decode(column: "n", as: Int.self)
                #expect(left == 0, "\(table)")
            }

            // The trail of the record kept includes the old record's events and the merge.
            let trail = try world.json(
                try await world.send(.GET, APIURL.audit.path + "?childId=\(pair.survivor)", token: erin))
            let events = (trail["events"] as! [[String: Any]])
            #expect(events.contains { $0["action"] as? String == "merge-children" && $0["outcome"] as? String == "allowed" })
            #expect(events.filter { $0["action"] as? String == "register-child" }.count == 2)
            let mergedRow = try #require(try await Child.find(pair.duplicate, on: world.app.db))
            #expect(mergedRow.$mergedInto.id == pair.survivor)
            #expect(mergedRow.$mergedBy.id != nil)
        }
    }

    /// Found by review: the merge moves the record kept's whereabouts on, so a change to them
    /// opened before it saves nothing.
    @Test func aChangeToWhereaboutsOpenedBeforeAMergeSavesNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let pair = try await twoRecords(world)
            #expect(try await merge(world, pair, as: "erin@demo.test").status == .ok)
            let stale = try await world.send(
                .PUT, APIURL.childWhereabouts(pair.survivor).path, token: try await world.token("erin@demo.test"),
                raw: #"{"address": "9 Mill Lane, Soham"}"#, headers: ["If-Match": RecordVersion.etag(1)])
            #expect(stale.status == .preconditionFailed)
            #expect(try world.error(stale).message.contains("Erin"), "\(stale.body.string)")
            #expect(try await Child.find(pair.survivor, on: world.app.db)!.address == "4 Hill Street, Ely")
        }
    }

    @Test func onlyTheLAsCoordinatorsMergeAndBadMergesChangeNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let pair = try await twoRecords(world)
            for email in ["amy@demo.test", "gus@demo.test", "fay@demo.test", "nat@demo.test", "hana@demo.test"] {
                #expect(try await merge(world, pair, as: email).status == .forbidden, "\(email)")
            }
            let blank = try await merge(world, pair, as: "erin@demo.test", reason: " ")
            #expect(blank.status == .unprocessableEntity)
            #expect(try world.error(blank).field == "reason")
            let erin = try await world.token("erin@demo.test")
            let itself = try await world.send(
                .POST, APIURL.childMerge(pair.survivor).path, token: erin,
                raw: try TestWorld.jsonText(["duplicateId": pair.survivor.uuidString, "reason": "x"]))
            #expect(try world.error(itself).field == "duplicateId")

            // A child of another LA is not this coordinator's to merge.
            let hana = try await world.token("hana@demo.test")
            let suffolk = try await world.registerChild(as: hana)
            let across = try await world.send(
                .POST, APIURL.childMerge(pair.survivor).path, token: erin,
                raw: try TestWorld.jsonText(["duplicateId": suffolk.uuidString, "reason": "x"]))
            #expect(across.status == .forbidden)

            // Different NHS numbers mean different children.
            let amy = try await world.token("amy@demo.test")
            let other = try await world.send(
                .POST, APIURL.children.path, token: amy,
                raw: try TestWorld.jsonText([
                    "givenName": "Lily", "familyName": "Evans", "dateOfBirth": "2016-05-01", "nhsNumber": "401 023 2137",
                    "notADuplicate": true,
                ]))
            let different = try await world.send(
                .POST, APIURL.childMerge(pair.survivor).path, token: erin,
                raw: try TestWorld.jsonText(["duplicateId": try world.json(other)["id"] as! String, "reason": "x"]))
            #expect(different.status == .conflict)
            #expect(try world.error(different).code == "different-identifiers")

            // Two open CAFs must be reconciled first.
            let second = try await world.send(
                .POST, APIURL.childEpisodes(pair.survivor).path, token: amy,
                raw: try TestWorld.jsonText(TestWorld.consentForHealthAndEducation))
            #expect(second.status == .created)
            let twoOpen = try await merge(world, pair, as: "erin@demo.test")
            #expect(twoOpen.status == .conflict)
            #expect(try world.error(twoOpen).code == "two-open-episodes")

            #expect(try await Child.query(on: world.app.db).filter(\.$mergedInto.$id != nil).count() == 0)
            #expect(
                try await Episode.query(on: world.app.db).filter(\.$child.$id == pair.duplicate).count() == 1)
        }
    }

    /// Every table with a `child_id` is one the merge moves (or names, or the audit log):
    /// a new table that forgets to join the merge fails here.
    @Test func theMergeKnowsEveryTableThatBelongsToAChild() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let sql = world.app.db as! any SQLDatabase
            let tables: [String]
            if TestWorld.onPostgres {
                tables = try await sql.raw(
                    "SELECT table_name AS name FROM information_schema.columns WHERE column_name = 'child_id' AND table_schema = 'public'"
                ).all().map { try $0.decode(column: "name", as: String.self) }
            } else {
                tables = try await sql.raw(
                    "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'child_id'"
                ).all().map { try $0.decode(column: "name", as: String.self) }
            }
            // Audit entries, and the children they name, stay as written: a trail reads the
            // merged records' ids too.
            #expect(
                Set(tables)
                    == Set(
                        ChildMerges.movedTables + ChildMerges.stayingTables + ["child_names", "audit_events", "audit_children"]))
        }
    }

    /// A record planted with another address (and a shield override taken on it) must not move
    /// the child kept: its whereabouts come over only to a record that has none, and its
    /// override opens nothing of the child kept.
    @Test func aDuplicatesWhereaboutsNeverMoveTheChildKept() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let pair = try await twoRecords(world)  // the duplicate lives at 4 Hill Street, Riverside school
            let amy = try await world.token("amy@demo.test")
            let erin = try await world.token("erin@demo.test")
            let home = try await world.updateWhereabouts(
                pair.survivor, token: amy,
                raw: try TestWorld.jsonText(["address": "9 Safe Lane, Ely", "postcode": "CB6 1AA"]))
            #expect(home.status == .ok)
            for child in [pair.survivor, pair.duplicate] {
                let shielded = try await world.send(
                    .PUT, APIURL.childShield(child).path, token: erin,
                    json: ShieldingTests.ShieldBody(shielded: true, reason: "Court order in place"))
                #expect(shielded.status == .ok)
            }
            let sid = try await world.token("sid@demo.test")
            let taken = try await world.send(
                .POST, APIURL.childShieldOverrides(pair.duplicate).path, token: sid,
                json: ["reason": "Child missing from school; police need the address now"])
            #expect(taken.status == .created)
            #expect(try await merge(world, pair, as: "erin@demo.test").status == .ok)

            let record = try world.json(try await world.send(.GET, APIURL.child(pair.survivor).path, token: erin))
            let whereabouts = try #require(record["whereabouts"] as? [String: Any])
            #expect(whereabouts["address"] as? String == "9 Safe Lane, Ely")
            #expect(whereabouts["postcode"] as? String == "CB6 1AA")
            #expect(whereabouts["school"] == nil || whereabouts["school"] is NSNull, "no part of the duplicate's set")
            let history = (whereabouts["addresses"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
            #expect(history == ["9 Safe Lane, Ely"])
            // The override opened the duplicate's whereabouts, not the child's kept.
            let seenBySid = try world.json(try await world.send(.GET, APIURL.child(pair.survivor).path, token: sid))
            #expect(seenBySid["whereabouts"] == nil || seenBySid["whereabouts"] is NSNull)

            let audit = try #require(
                try await AuditEvent.query(on: world.app.db).filter(\.$action == "merge-children")
                    .filter(\.$outcome == "allowed").first())
            #expect(audit.detail.contains("whereabouts=kept addresses-left=1 overrides-left=1"), "\(audit.detail)")
        }
    }

    @Test func theRecordPageOffersPossibleDuplicatesToMerge() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let pair = try await twoRecords(world)
            let browser = PageTests.Browser(world)
            try await browser.signIn("erin@demo.test")
            let page = try await browser.get(SiteURL.child(pair.survivor).path)
            #expect(page.body.string.contains("Possible duplicate records"))
            #expect(page.body.string.contains("Lilly Evens"))

            let noReason = try await browser.post(
                SiteURL.childMerge(pair.survivor).path, [("duplicateId", pair.duplicate.uuidString), ("mergeReason", "")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("href=\"#mergeReason\""))

            let merged = try await browser.post(
                SiteURL.childMerge(pair.survivor).path,
                [("duplicateId", pair.duplicate.uuidString), ("mergeReason", "Same child: the school confirmed")])
            #expect(merged.status == .seeOther)
            let old = try await browser.get(SiteURL.child(pair.duplicate).path)
            #expect(old.status == .gone)
            #expect(old.body.string.contains(SiteURL.child(pair.survivor).path))

            // Practitioners who are not coordinators are not offered the merge.
            let amy = PageTests.Browser(world)
            try await amy.signIn("amy@demo.test")
            #expect(!(try await amy.get(SiteURL.child(pair.survivor).path)).body.string.contains("Possible duplicate records"))
        }
    }
}
