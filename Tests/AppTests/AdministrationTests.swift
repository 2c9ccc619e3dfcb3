import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AdministrationTests {
    @Test func theCommandLineMakesAnLAsFirstTwoAdministratorsOnly() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            for (index, email) in ["sam@norfolk.test", "ola@norfolk.test"].enumerated() {
                let created = try await Administration.createAdmin(
                    .init(
                        email: email, name: "Admin \(index)", authority: "Norfolk", organisation: "Norfolk County Council"),
                    on: world.app)
                #expect(created.roles == [.laAdmin])
            }
            do {
                _ = try await Administration.createAdmin(
                    .init(
                        email: "third@norfolk.test", name: "Third", authority: "Norfolk", organisation: "Norfolk County Council"),
                    on: world.app)
                Issue.record("a third administrator was made from the command line")
            } catch let error as AppError {
                #expect(error.problems.map(\.field) == ["authority"])
            }
            #expect(try await Practitioner.query(on: world.app.db).filter(\.$email == "third@norfolk.test").count() == 0)
        }
    }

    /// Whoever runs the command never knows the password: the administrator chooses it
    /// from the link e-mailed to them.
    @Test func theFirstAdministratorChoosesTheirPasswordFromTheirLink() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let admin = Administration.NewAdmin(
                email: "Sam@Norfolk.test", name: "Sam Reed", authority: "Norfolk", organisation: "Norfolk County Council")
            let created = try await Administration.createAdmin(admin, on: world.app)
            #expect(created.email == "sam@norfolk.test")
            #expect(created.roles == [.laAdmin])
            #expect(created.passwordSetAt == nil)
            let organisation = try #require(try await Organisation.find(created.$organisation.id, on: world.app.db))
            #expect(organisation.name == "Norfolk County Council")
            do {
                _ = try await Administration.createAdmin(admin, on: world.app)
                Issue.record("a second account with the same e-mail was created")
            } catch let error as AppError {
                #expect(error.problems.map(\.field) == ["email"])
            }
            let browser = PageTests.Browser(world)
            _ = try await browser.get(SiteURL.signIn.path)
            let token = try await world.linkToken("sam@norfolk.test")
            let weak = try await browser.post(
                SiteURL.credentialLink.path,
                [("token", token), ("newPassword", "password1234"), ("confirmPassword", "password1234")])
            #expect(weak.status == .unprocessableEntity)
            _ = try await browser.post(
                SiteURL.credentialLink.path,
                [("token", token), ("newPassword", "heron lantern quarry 58"), ("confirmPassword", "heron lantern quarry 58")])
            let stored = try #require(try await Practitioner.find(created.id, on: world.app.db))
            #expect(stored.passwordHash.hasPrefix("pepper1:$2b$12$"))
            let signIn = try await world.send(
                .POST, APIURL.token.path, json: ["email": "sam@norfolk.test", "password": "heron lantern quarry 58"])
            #expect(signIn.status == .created)
            // An LA administrator never reads case content.
            let bearer = try world.decode(TestWorld.TokenBody.self, signIn).token
            #expect(try await world.search("q=lily", token: bearer).status == .forbidden)
        }
    }
}
