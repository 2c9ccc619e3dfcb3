import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 13, item 7: a decision not to share (sharing would do the child more harm) is a
/// record with its reason, audited, and seen and counted by the coordinators of the child's LA.
@Suite struct SharingDecisionTests {
    static let decision = [
        "withheld": "What she told us about home", "withheldFrom": "Her father, who asked the school",
        "reason": "Telling him would put her at greater risk at home.",
    ]

    @Test func aDecisionNotToShareIsRecordedWithItsReasonAndTheCoordinatorCountsIt() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let path = APIURL.childDecisionsNotToShare(child).path
            var noReason = Self.decision
            noReason["reason"] = "  "
            let refused = try await world.send(.POST, path, token: amy, raw: try TestWorld.jsonText(noReason))
            #expect(refused.status == .unprocessableEntity)
            #expect(try world.error(refused).field == "reason")
            var tooLong = Self.decision
            tooLong["withheldFrom"] = String(repeating: "x", count: 201)
            #expect(
                try await world.send(.POST, path, token: amy, raw: try TestWorld.jsonText(tooLong)).status == .unprocessableEntity
            )
            #expect(try await DecisionNotToShare.query(on: world.app.db).count() == 0)
            let fay = try await world.token("fay@demo.test")
            #expect(
                try await world.send(.POST, path, token: fay, raw: try TestWorld.jsonText(Self.decision)).status == .forbidden)

            let recorded = try await world.send(.POST, path, token: amy, raw: try TestWorld.jsonText(Self.decision))
            #expect(recorded.status == .created)
            let events = try await AuditEvent.query(on: world.app.db).filter(\.$action == "record-decision-not-to-share")
                .filter(\.$childID == child).all()
            #expect(events.filter { $0.outcome == "allowed" }.count == 1)
            // fay's refusal (no index role) is audited too, by the one gate.
            #expect(events.filter { $0.outcome == "denied" }.map(\.actorEmail) == ["fay@demo.test"])

            let erin = try await world.token("erin@demo.test")
            let list = try world.json(try await world.send(.GET, APIURL.decisionsNotToShare.path, token: erin))
            #expect(list["lastThirtyDays"] as? Int == 1)
            #expect((list["decisions"] as? [[String: Any]])?.first?["reason"] as? String == Self.decision["reason"])
            let reads = try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue").all().map(\.detail)
            #expect(reads.contains("decision-not-to-share queue: \(child.uuidString)"))
            // Not for anyone else, and the refusal is audited.
            #expect(try await world.send(.GET, APIURL.decisionsNotToShare.path, token: amy).status == .forbidden)
            #expect(
                try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue")
                    .filter(\.$outcome == "denied").count() == 1)
        }
    }

    @Test func fromThePagesTheDecisionReachesTheCoordinatorsList() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let child = try await world.registerChild(as: try await world.token("amy@demo.test"))
            let amy = PageTests.Browser(world)
            try await amy.signIn("amy@demo.test")
            _ = try await amy.get(SiteURL.childDecisionsNotToShare(child).path)
            let missing = try await amy.post(SiteURL.childDecisionsNotToShare(child).path, [("withheld", "Her disclosure")])
            #expect(missing.status == .unprocessableEntity)
            #expect(
                missing.body.string.contains(##"href="#reason""##) && missing.body.string.contains("Her disclosure</textarea>"))
            let done = try await amy.post(
                SiteURL.childDecisionsNotToShare(child).path, Self.decision.map { ($0.key, $0.value) })
            #expect(done.status == .seeOther)
            let erin = PageTests.Browser(world)
            try await erin.signIn("erin@demo.test")
            #expect(try await erin.get(SiteURL.home.path).body.string.contains("Decisions not to share"))
            let page = try await erin.get(SiteURL.decisionsNotToShare.path).body.string
            #expect(page.contains("1 in the last 30 days") && page.contains("Telling him would put her at greater risk"))
            #expect(PageStructure.parse(page).problem == nil)
        }
    }
}
