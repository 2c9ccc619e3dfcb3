import CAFCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Issue 13: the involvements form had no index-role check, so an LA administrator saw a
/// child's name on it. Now it is a read of the record: checked first, then audited.
@Suite struct InvolvementFormTests {
    @Test func theInvolvementsFormIsCheckedThenAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy, givenName: "Lily", familyName: "Evans")
            let fay = PageTests.Browser(world)
            try await fay.signIn("fay@demo.test")
            let refused = try await fay.get(SiteURL.childInvolvements(child).path)
            #expect(refused.status == .forbidden)
            #expect(!refused.body.string.contains("Lily"))
            let ben = PageTests.Browser(world)
            try await ben.signIn("ben@demo.test")
            let before = try await AuditEvent.query(on: world.app.db).filter(\.$childID == child)
                .filter(\.$action == AuditAction.viewChild.rawValue).count()
            #expect(try await ben.get(SiteURL.childInvolvements(child).path).status == .ok)
            let after = try await AuditEvent.query(on: world.app.db).filter(\.$childID == child)
                .filter(\.$action == AuditAction.viewChild.rawValue).count()
            #expect(after == before + 1)
        }
    }

    /// The safeguarding numbers page names the child: its reads are audited too.
    @Test func theSafeguardingNumbersPageIsAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let child = try await world.registerChild(as: try await world.token("amy@demo.test"))
            let amy = PageTests.Browser(world)
            try await amy.signIn("amy@demo.test")
            #expect(try await amy.get(SiteURL.safeguarding(child: child).path).status == .ok)
            let read = try await AuditEvent.query(on: world.app.db).filter(\.$childID == child)
                .filter(\.$detail == "safeguarding numbers").count()
            #expect(read == 1)
        }
    }
}
