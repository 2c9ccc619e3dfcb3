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
                        email: email, name: "Admin \(index)", authority: "Norfolk", organisation: "Norfolk County Council",
                        password: "heron lantern quarry 58"), on: world.app)
                #expect(created.roles == [.laAdmin])
            }
            do {
                _ = try await Administration.createAdmin(
                    .init(
                        email: "third@norfolk.test", name: "Third", authority: "Norfolk", organisation: "Norfolk County Council",
                        password: "heron lantern quarry 58"), on: world.app)
                Issue.record("a third administrator was made from the command line")
            } catch let error as AppError {
                #expect(error.problems.map(\.field) == ["authority"])
            }
            #expect(try await Practitioner.query(on: world.app.db).filter(\.$email == "third@norfolk.test").count() == 0)
        }
    }

    @Test func theFirstAdministratorIsCreatedWithAStrongPasswordAndCanSignIn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            var admin = Administration.NewAdmin(
                email: "Sam@Norfolk.test", name: "Sam Reed", authority: "Norfolk", organisation: "Norfolk County Council",
                password: "password1234")
            do {
                _ = try await Administration.createAdmin(admin, on: world.app)
                Issue.record("a common password was accepted")
            } catch let error as AppError {
                #expect(error.problems.map(\.field) == ["password"])
            }
            admin.password = "heron lantern quarry 58"
            let created = try await Administration.createAdmin(admin, on: world.app)
            #expect(created.email == "sam@norfolk.test")
            #expect(created.roles == [.laAdmin])
            #expect(created.passwordHash.hasPrefix("$2b$12$"))
            let organisation = try #require(try await Organisation.find(created.$organisation.id, on: world.app.db))
            #expect(organisation.name == "Norfolk County Council")
            do {
                _ = try await Administration.createAdmin(admin, on: world.app)
                Issue.record("a second account with the same e-mail was created")
            } catch let error as AppError {
                #expect(error.problems.map(\.field) == ["email"])
            }
            let token = try await world.send(
                .POST, APIURL.token.path, json: ["email": "sam@norfolk.test", "password": "heron lantern quarry 58"])
            #expect(token.status == .created)
            // An LA administrator never reads case content.
            let bearer = try world.decode(TestWorld.TokenBody.self, token).token
            #expect(try await world.search("q=lily", token: bearer).status == .forbidden)
        }
    }
}
