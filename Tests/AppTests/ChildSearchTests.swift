import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The index's search on each database's own trigram index, through the API.
@Suite struct ChildSearchTests {
    struct Found {
        let names: [String]
        let matched: [String?]
        let body: [String: Any]
    }

    func search(_ world: TestWorld, _ query: String, as token: String) async throws -> Found {
        let response = try await world.search(query, token: token)
        #expect(response.status == .ok, "\(query)")
        let body = try world.json(response)
        let results = body["results"] as? [[String: Any]] ?? []
        return Found(
            names: results.map { hit in
                let child = hit["child"] as? [String: Any] ?? [:]
                return "\(child["givenName"] as? String ?? "") \(child["familyName"] as? String ?? "")"
            },
            matched: results.map { hit in
                (hit["matchedName"] as? [String: Any]).map { "\($0["kind"]!): \($0["givenName"]!) \($0["familyName"]!)" }
            },
            body: body)
    }

    func register(_ world: TestWorld, as token: String, _ fields: [String: String]) async throws -> UUID {
        let response = try await world.send(.POST, APIURL.children.path, token: token, json: fields)
        #expect(response.status == .created)
        return UUID(uuidString: try world.json(response)["id"] as! String)!
    }

    func registerFamily(_ world: TestWorld, as amy: String) async throws {
        _ = try await register(
            world, as: amy, ["givenName": "Jayden", "familyName": "Smith", "dateOfBirth": "2015-01-10", "postcode": "CB4 1AA"])
        _ = try await register(
            world, as: amy, ["givenName": "Jaiden", "familyName": "Smyth", "dateOfBirth": "2015-02-20", "postcode": "CB4 2BB"])
        _ = try await register(
            world, as: amy,
            ["givenName": "Jason", "familyName": "Brown", "knownAs": "Jay", "dateOfBirth": "2012-06-01", "postcode": "IP1 1AA"])
        let olivia = try await register(
            world, as: amy, ["givenName": "Olivia", "familyName": "Smith", "dateOfBirth": "2013-03-03", "postcode": "IP2 2BB"])
        // Olivia's name changes: the old one stays searchable as a previous name.
        let renamed = try await world.send(
            .POST, APIURL.childNames(olivia).path, token: amy,
            json: ["kind": "current", "givenName": "Olivia", "familyName": "Jones"])
        #expect(renamed.status == .created)
        _ = try await register(world, as: amy, ["givenName": "Oliver", "familyName": "Twist", "dateOfBirth": "2014-04-04"])
        _ = try await register(world, as: amy, ["givenName": "Aoife", "familyName": "O’Brien", "dateOfBirth": "2016-06-06"])
    }

    @Test func namesAreFoundThroughTyposPartsWildcardsAndOtherNames() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            try await registerFamily(world, as: amy)

            let exact = try await search(world, "q=jayden%20smith", as: amy)
            #expect(exact.names.first == "Jayden Smith")

            let typo = try await search(world, "q=jaydn%20smiht", as: amy)
            #expect(typo.names.first == "Jayden Smith")

            let wildcard = try await search(world, "q=sm*th", as: amy)
            #expect(Set(wildcard.names) == ["Jayden Smith", "Jaiden Smyth", "Olivia Jones"])
            #expect(wildcard.matched[wildcard.names.firstIndex(of: "Olivia Jones")!] == "previous: Olivia Smith")

            let partial = try await search(world, "q=oliv", as: amy)
            #expect(Set(partial.names) == ["Olivia Jones", "Oliver Twist"])

            let knownAs = try await search(world, "q=jay%20brown", as: amy)
            #expect(knownAs.names == ["Jason Brown"])
            #expect(knownAs.matched == ["known-as: Jay Brown"])

            let previous = try await search(world, "q=olivia%20smith", as: amy)
            #expect(previous.names.first == "Olivia Jones")
            #expect(previous.matched.first == "previous: Olivia Smith")

            #expect(try await search(world, "q=o'brien", as: amy).names == ["Aoife O’Brien"])
            // A single letter is taken as an initial and left out.
            #expect(try await search(world, "q=Aoife%20O%20Brien", as: amy).names == ["Aoife O’Brien"])
            #expect(try await search(world, "q=Jayden%20T.%20Smith", as: amy).names.first == "Jayden Smith")

            let nobody = try await search(world, "q=zebedee", as: amy)
            #expect(nobody.names.isEmpty)
            #expect(nobody.body["total"] as? Int == 0)
        }
    }

    @Test func datesPostcodesAndIdentifiersNarrowTheSearch() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            try await registerFamily(world, as: amy)

            #expect(Set(try await search(world, "postcode=cb4", as: amy).names) == ["Jayden Smith", "Jaiden Smyth"])
            #expect(try await search(world, "postcode=CB41AA", as: amy).names == ["Jayden Smith"])
            #expect(try await search(world, "q=ja*&postcode=IP1", as: amy).names == ["Jason Brown"])
            #expect(try await search(world, "dob=2015-01-10", as: amy).names == ["Jayden Smith"])
            let range = try await search(world, "dob=2013-01-01&dobTo=2014-12-31", as: amy)
            #expect(range.names == ["Olivia Jones", "Oliver Twist"])  // name order without a name to rank by
            #expect(try await search(world, "q=smith&dob=2015-02-20", as: amy).names == ["Jaiden Smyth"])
        }
    }

    @Test func resultsArePagedAndCapped() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await Practitioner.query(on: world.app.db).filter(\.$email == "amy@demo.test").first()!
            let la = try await LocalAuthority.query(on: world.app.db).first()!.id!
            for number in 0..<(ChildIndex.resultCap + 5) {
                let registration = ChildRegistration(
                    givenName: "Amelia\(String(UnicodeScalar(UInt8(97 + number % 26))))", familyName: "Taylor",
                    dateOfBirth: "2015-01-\(String(format: "%02d", 1 + number % 28))", gender: nil, postcode: nil)
                let child = Child(registration, localAuthorityID: la, registeredByID: amy.id!)
                try await child.create(on: world.app.db)
                try await ChildName(
                    child: child, kind: .current, givenName: child.givenName, familyName: "Taylor", recordedByID: amy.id!
                ).create(on: world.app.db)
            }
            let token = try await world.token("amy@demo.test")
            let first = try await search(world, "q=taylor", as: token)
            #expect(first.names.count == ChildIndex.pageSize)
            #expect(first.body["total"] as? Int == ChildIndex.resultCap)
            #expect(first.body["capped"] as? Bool == true)
            #expect(first.body["pageCount"] as? Int == ChildIndex.resultCap / ChildIndex.pageSize)
            let second = try await search(world, "q=taylor&page=2", as: token)
            #expect(second.names.count == ChildIndex.pageSize)
            #expect(Set(first.names).isDisjoint(with: Set(second.names)) || first.names != second.names)
            let last = try await search(world, "q=taylor&page=10", as: token)
            #expect(last.names.count == ChildIndex.pageSize)
            // Past the cap there is nothing to show: refused, naming the page.
            let beyond = try await world.search("q=taylor&page=11", token: token)
            #expect(beyond.status == .unprocessableEntity)
            #expect(try world.error(beyond).field == "page")
            let narrow = try await search(world, "q=taylor&dob=2015-01-03", as: token)
            #expect(narrow.body["capped"] as? Bool == false)
            #expect(narrow.names.allSatisfy { $0.hasSuffix("Taylor") } && !narrow.names.isEmpty)
        }
    }

    @Test func everySearchIsAuditedWithItsParametersAndResults() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            try await registerFamily(world, as: amy)
            let found = try await search(world, "q=jayden&postcode=CB4", as: amy)
            #expect(found.names.first == "Jayden Smith")  // Jaiden Smyth is one slip away in each name
            let event = try await AuditEvent.query(on: world.app.db).filter(\.$action == AuditAction.searchChildren.rawValue)
                .sort(\.$sequence, .descending).first()
            let child = try await Child.query(on: world.app.db).filter(\.$givenName == "Jayden").first()!
            #expect(event?.detail.contains("q=jayden") == true)
            #expect(event?.detail.contains("postcode=CB4") == true)
            #expect(event?.detail.contains("results=\(child.id!.uuidString)") == true)
        }
    }

    @Test func badSearchesNameTheProblem() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            for (query, field) in [
                ("", "q"), ("q=j", "q"), ("q=*", "q"), ("q=m*d*n", "q"), ("postcode=XYZ", "postcode"),
                ("dob=2015-02-30", "dob"), ("dob=2015-02-01&dobTo=2015-01-01", "dobTo"), ("q=smith&page=0", "page"),
                ("q=smith&page=two", "page"),
            ] {
                let response = try await world.search(query, token: amy)
                #expect(response.status == .unprocessableEntity, "\(query)")
                #expect(try world.error(response).field == field, "\(query)")
            }
        }
    }
}
