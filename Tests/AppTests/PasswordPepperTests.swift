import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// ASVS V2.4.5: a password hash is bcrypt of the password mixed with a pepper kept apart from
/// the hashes (sealed under the secrets key), so a copy of the database alone tests no guess.
@Suite struct PasswordPepperTests {
    /// The pepper's row as stored.
    static func stored(on db: any Database) async throws -> String? {
        try await (db as! any SQLDatabase).raw("SELECT pepper FROM password_peppers").first()?
            .decode(column: "pepper", as: String.self)
    }

    @Test func aHashMixesInThePepperKeptSealedApart() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let pepper = try world.app.requirePepper()
            let hash = try await Passwords.hash(TestWorld.password, pepper: pepper, cost: 4)
            #expect(hash.hasPrefix("pepper1:$2b$04$"))
            #expect(try await Passwords.verify(TestWorld.password, hash: hash, pepper: pepper))
            // bcrypt alone, as someone holding only the database would try it, finds no match.
            #expect(!(try Bcrypt.verify(TestWorld.password, created: String(hash.dropFirst("pepper1:".count)))))
            let elsewhere = PasswordPepper(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
            #expect(!(try await Passwords.verify(TestWorld.password, hash: hash, pepper: elsewhere)))
            // Stored sealed under the secrets key, bound to its row; one row, made once.
            let sealed = try #require(try await Self.stored(on: world.app.db))
            #expect(try world.app.requireSecrets().isCurrent(sealed))
            let rows = try await (world.app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM password_peppers").first()
            #expect(try rows?.decode(column: "n", as: Int.self) == 1)
            #expect(try await PasswordPepper.load(world.app)?.mix("x") == pepper.mix("x"), "a second start keeps it")
            // Lost once hashes were made with it (a restore gone wrong): the start stops, naming
            // it, rather than make another that matches no password.
            try await (world.app.db as! any SQLDatabase).raw("DELETE FROM password_peppers").run()
            await #expect(throws: PasswordPepper.Lost.self) { _ = try await PasswordPepper.load(world.app) }
        }
    }

    /// A hash made before the pepper still signs in, and is made again with it then.
    @Test func aHashFromBeforeThePepperIsRemadeAtSignIn() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let amy = try #require(try await Practitioner.query(on: db).filter(\.$email == "amy@demo.test").first())
            amy.passwordHash = try Bcrypt.hash(TestWorld.password, cost: 4)
            try await amy.save(on: db)
            let wrong = try await world.send(
                .POST, APIURL.token.path, json: ["email": "amy@demo.test", "password": "not-the-password-1"])
            #expect(wrong.status == .unauthorized)
            #expect(try await Practitioner.find(amy.id, on: db)?.passwordHash.hasPrefix("$2b$04$") == true)
            _ = try await world.token("amy@demo.test")
            let remade = try #require(try await Practitioner.find(amy.id, on: db)?.passwordHash)
            #expect(remade.hasPrefix("pepper1:$2b$\(Passwords.cost)$"))
            _ = try await world.token("amy@demo.test")
        }
    }
}
