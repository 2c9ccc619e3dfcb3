import CAFCore
import Fluent
import Foundation
import Testing

@testable import App

/// The accounts of an LA holding a role are found by the database (issue 14 item 7), matched
/// by whole role, within the LA, enabled only.
@Suite struct PractitionerTests {
    @Test func theHoldersOfARoleInAnLAAreFoundByTheDatabase() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let erin = try await world.signedIn("erin@demo.test")
            let la = try #require(erin.organisation?.$localAuthority.id)
            func emails(_ roles: [Role]) async throws -> [String] {
                try await Practitioner.enabled(in: la, holdingAnyOf: roles, on: world.app.db).map(\.email).sorted()
            }
            #expect(try await emails([.coordinator]) == ["erin@demo.test"])
            #expect(try await emails([.laAdmin]) == ["fay@demo.test", "gil@demo.test"])
            #expect(try await emails([.manager]) == ["mia@demo.test"])
            #expect(try await emails([.coordinator, .manager]) == ["erin@demo.test", "mia@demo.test"])
            // Another LA's coordinator (Sid's, in Suffolk) is not this LA's.
            let sid = try await world.signedIn("sid@demo.test")
            #expect(sid.organisation?.$localAuthority.id != la)
            // A disabled account holds nothing.
            erin.practitioner.disabled = true
            try await erin.practitioner.save(on: world.app.db)
            #expect(try await emails([.coordinator]).isEmpty)
        }
    }
}
