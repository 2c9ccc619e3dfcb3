import CAFCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Issue 13, item 6 (in part): a review queue shows children; reading it is audited, naming
/// each child, so their own audit trail shows who saw them there.
@Suite struct QueueReadTests {
    @Test func readingTheBreakGlassQueueIsAuditedOnEachChild() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let erin = try await world.token("erin@demo.test")
            _ = try await world.send(.GET, APIURL.breakGlassQueue.path, token: erin)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue").count() == 0)
            let created = try await world.childWithEpisode(as: try await world.token("amy@demo.test"))
            let taken = try await world.send(
                .POST, APIURL.episodeBreakGlass(created.episodeID).path, token: try await world.token("carla@demo.test"),
                raw: #"{"reason": "Child found alone at night; checking who is involved"}"#)
            #expect(taken.status == .created)
            #expect(try await world.send(.GET, APIURL.breakGlassQueue.path, token: erin).status == .ok)
            let reads = try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue").all()
            #expect(reads.count == 1)
            #expect(reads.first?.detail == "break-glass queue: \(created.childID.uuidString)")
            #expect(reads.first?.actorEmail == "erin@demo.test")
            let trail = try await Audit.events(forChildren: [created.childID], episodeIDs: [], on: world.app.db)
            #expect(trail.contains { $0.action == "view-review-queue" })
        }
    }

    @Test func readingTheRequestsToJoinAndReferralQueuesIsAuditedOnEachChild() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let asked = try await world.childWithEpisode(as: amy)
            let request = try await world.send(
                .POST, APIURL.episodeAccessRequests(asked.episodeID).path, token: try await world.token("dan@demo.test"),
                json: ["reason": "I see him at the youth club."])
            #expect(request.status == .created)
            #expect(try await world.send(.GET, APIURL.accessRequests.path, token: amy).status == .ok)
            let stepped = try await world.childWithEpisode(as: amy)
            let closed = try await world.send(
                .POST, APIURL.close(stepped.episodeID).path, token: amy, raw: #"{"reason": "step-up", "note": "Harm feared."}"#)
            #expect(closed.status == .ok)
            #expect(
                try await world.send(.GET, APIURL.referrals.path, token: try await world.token("gus@demo.test")).status == .ok)
            let reads = try await AuditEvent.query(on: world.app.db).filter(\.$action == "view-review-queue").all().map(\.detail)
            #expect(reads.contains("access-request queue: \(asked.childID.uuidString)"))
            #expect(reads.contains("referral queue: \(stepped.childID.uuidString)"))
        }
    }
}
