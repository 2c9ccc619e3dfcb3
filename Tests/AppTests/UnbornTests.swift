import Foundation
import Testing
import VaporTesting

@testable import App

/// Unborn babies: registered by their expected date of delivery, then by their birth.
@Suite struct UnbornTests {
    /// A date the given number of days from today, as the API writes dates.
    func day(_ offset: Int) -> String { String(ISO8601DateFormatter().string(from: Date() + Double(offset) * 86_400).prefix(10)) }

    @Test func anUnbornBabyIsRegisteredThenBorn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let due = day(60)
            let created = try await world.send(
                .POST, APIURL.children.path, token: amy,
                raw: try TestWorld.jsonText(["familyName": "Evans", "expectedDeliveryDate": due]))
            #expect(created.status == .created)
            let baby = try world.json(created)
            #expect(baby["givenName"] as? String == "Unborn baby")
            #expect(baby["expectedDeliveryDate"] as? String == due)
            #expect(baby["dateOfBirth"] == nil)
            let id = UUID(uuidString: baby["id"] as! String)!

            let search = try await world.search("q=unborn+evans", token: amy)
            #expect(try (world.json(search)["results"] as! [[String: Any]]).count == 1)

            let born = day(-1)
            let birth = try await world.send(
                .POST, APIURL.childBirth(id).path, token: amy,
                raw: try TestWorld.jsonText(["dateOfBirth": born, "givenName": "Rose"]))
            #expect(birth.status == .ok)
            let child = try world.json(birth)
            #expect(child["givenName"] as? String == "Rose")
            #expect(child["dateOfBirth"] as? String == born)
            #expect(child["expectedDeliveryDate"] == nil)

            // Found by the birth date and by the old name, which is kept.
            let byBirth = try await world.search("q=rose&dob=\(born)", token: amy)
            #expect(try (world.json(byBirth)["results"] as! [[String: Any]]).count == 1)
            let byOldName = try await world.search("q=unborn+evans", token: amy)
            let hit = try (world.json(byOldName)["results"] as! [[String: Any]]).first
            #expect((hit?["matchedName"] as? [String: Any])?["kind"] as? String == "previous")

            let again = try await world.send(
                .POST, APIURL.childBirth(id).path, token: amy, raw: try TestWorld.jsonText(["dateOfBirth": born]))
            #expect(again.status == .conflict)
            #expect(try world.error(again).code == "already-born")
        }
    }

    @Test func badDatesAreRefusedAndChangeNothing() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            for (fields, field) in [
                (["familyName": "Evans"], "dateOfBirth"),
                (["familyName": "Evans", "dateOfBirth": day(-30), "expectedDeliveryDate": day(30)], "expectedDeliveryDate"),
                (["familyName": "Evans", "expectedDeliveryDate": day(400)], "expectedDeliveryDate"),
                (["givenName": "Lily", "familyName": "Evans", "dateOfBirth": day(30)], "dateOfBirth"),
            ] {
                let response = try await world.send(
                    .POST, APIURL.children.path, token: amy, raw: try TestWorld.jsonText(fields))
                #expect(response.status == .unprocessableEntity, "\(fields)")
                #expect(try world.error(response).field == field, "\(fields)")
            }
            #expect(try await Child.query(on: world.app.db).count() == 0)

            let baby = try await world.send(
                .POST, APIURL.children.path, token: amy,
                raw: try TestWorld.jsonText(["familyName": "Evans", "expectedDeliveryDate": day(10)]))
            let id = UUID(uuidString: try world.json(baby)["id"] as! String)!
            let future = try await world.send(
                .POST, APIURL.childBirth(id).path, token: amy, raw: try TestWorld.jsonText(["dateOfBirth": day(5)]))
            #expect(future.status == .unprocessableEntity)
            #expect(try world.error(future).field == "dateOfBirth")
            #expect(try await Child.find(id, on: world.app.db)?.unborn == true)
        }
    }

    @Test func thePagesRegisterAnUnbornBabyAndRecordTheBirth() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let browser = PageTests.Browser(world)
            try await browser.signIn("amy@demo.test")
            let due = day(60).split(separator: "-").map { String(Int($0)!) }
            let registered = try await browser.post(
                SiteURL.registerChild.path,
                [
                    ("familyName", "Evans"), ("unborn", "yes"), ("dateOfBirth-day", due[2]), ("dateOfBirth-month", due[1]),
                    ("dateOfBirth-year", due[0]),
                ])
            #expect(registered.status == .seeOther)
            let child = try #require(try await Child.query(on: world.app.db).first())
            let page = try await browser.get(SiteURL.child(child.id!).path)
            #expect(page.body.string.contains("Expected date of delivery"))
            #expect(page.body.string.contains("Record the birth"))

            let tooEarly = try await browser.post(
                SiteURL.childBirth(child.id!).path,
                [("dateOfBirth-day", "31"), ("dateOfBirth-month", "2"), ("dateOfBirth-year", "2026"), ("givenName", "Rose")])
            #expect(tooEarly.status == .unprocessableEntity)
            #expect(tooEarly.body.string.contains("govuk-error-summary"))
            #expect(tooEarly.body.string.contains("value=\"Rose\""))

            let today = day(0).split(separator: "-").map { String(Int($0)!) }
            let born = try await browser.post(
                SiteURL.childBirth(child.id!).path,
                [
                    ("dateOfBirth-day", today[2]), ("dateOfBirth-month", today[1]), ("dateOfBirth-year", today[0]),
                    ("givenName", "Rose"),
                ])
            #expect(born.status == .seeOther)
            let after = try await browser.get(SiteURL.child(child.id!).path)
            #expect(after.body.string.contains("Rose Evans"))
            #expect(!after.body.string.contains("Record the birth"))
        }
    }
}
