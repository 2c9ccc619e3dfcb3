import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The audit log is append-only in the database and hash-chained: the application cannot
/// change or delete an event, and changing, deleting or reordering one by someone who lifted
/// that (with the rights to alter the schema) is detected.
@Suite struct AuditChainTests {
    /// A world with some history: a child, an episode, a share, a refusal.
    func withHistory(_ test: (TestWorld) async throws -> Void) async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            _ = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            let carla = try await world.token("carla@demo.test")
            _ = try await world.send(.GET, APIURL.episode(created.episodeID).path, token: carla)
            try await test(world)
        }
    }

    /// As an operator with the schema's rights would, before rewriting history.
    func liftAppendOnly(_ world: TestWorld) async throws {
        try await MakeAuditAppendOnly().revert(on: world.app.db)
    }

    /// Issue 16 item 2: no statement through the application's connection changes or deletes
    /// an event, whichever way it is sent.
    @Test func theApplicationCanNeitherChangeNorDeleteAnEvent() async throws {
        try await withHistory { world in
            let db = world.app.db
            let sql = db as! any SQLDatabase
            let count = try await AuditEvent.query(on: db).count()
            let third = try await event(3, world)
            let detail = third.detail
            third.detail += " (edited)"
            await #expect(throws: (any Error).self) { try await third.save(on: db) }
            await #expect(throws: (any Error).self) { try await event(4, world).delete(on: db) }
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_events SET detail = 'x'").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_events").run() }
            if TestWorld.onPostgres {
                await #expect(throws: (any Error).self) { try await sql.raw("TRUNCATE audit_events CASCADE").run() }
            }
            #expect(try await AuditEvent.query(on: db).count() == count)
            #expect(try await event(3, world).detail == detail)
            #expect(try await AuditChain.verify(on: db) == .intact(events: count))
            // New events are still written.
            _ = try await world.registerChild(as: try await world.token("amy@demo.test"))
            #expect(try await AuditEvent.query(on: db).count() > count)
        }
    }

    func event(_ sequence: Int64, _ world: TestWorld) async throws -> AuditEvent {
        try #require(try await AuditEvent.query(on: world.app.db).filter(\.$sequence == sequence).first())
    }

    /// ASVS V7.3.4: every entry carries the server's own clock (never a time a client sends),
    /// to the millisecond the chain hashes, and is shown in UTC.
    @Test func auditTimesAreTheServersClockInUTC() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let before = Date().addingTimeInterval(-0.001)
            let child = try await world.registerChild(as: amy)
            let after = Date().addingTimeInterval(0.001)
            let registered = try #require(
                try await AuditEvent.query(on: world.app.db).filter(\.$action == "register-child")
                    .filter(\.$childID == child).first())
            #expect(registered.occurredAt >= before && registered.occurredAt <= after)
            let milliseconds = registered.occurredAt.timeIntervalSince1970 * 1000
            #expect(abs(milliseconds - milliseconds.rounded()) < 0.01, "whole milliseconds, as hashed")

            let erin = try await world.token("erin@demo.test")
            let trail = try world.json(try await world.send(.GET, APIURL.audit.path + "?childId=\(child)", token: erin))
            let shown = try #require((trail["events"] as? [[String: Any]])?.first?["occurredAt"] as? String)
            #expect(shown.hasSuffix("Z"), "\(shown) is UTC")
        }
    }

    @Test func anUntouchedChainVerifies() async throws {
        try await withHistory { world in
            let count = try await AuditEvent.query(on: world.app.db).count()
            #expect(count > 5)
            #expect(try await AuditChain.verify(on: world.app.db) == .intact(events: count))
            let sequences = try await AuditEvent.query(on: world.app.db).sort(\.$sequence).all().map(\.sequence)
            #expect(sequences == Array(1...Int64(count)))
        }
    }

    @Test func changingAnEventBreaksTheChainThere() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let third = try await event(3, world)
            third.detail += " (edited)"
            try await third.save(on: world.app.db)
            guard case .broken(let at, let reason) = try await AuditChain.verify(on: world.app.db) else {
                Issue.record("tampering went unnoticed")
                return
            }
            #expect(at == 3)
            #expect(reason.contains("changed"))
        }
    }

    @Test func deletingAnEventBreaksTheChain() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            try await event(4, world).delete(on: world.app.db)
            guard case .broken(let at, let reason) = try await AuditChain.verify(on: world.app.db) else {
                Issue.record("deletion went unnoticed")
                return
            }
            #expect(at == 4)
            #expect(reason.contains("missing"))
        }
    }

    @Test func deletingTheLastEventIsNoticedAtTheHead() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let last = try #require(try await AuditEvent.query(on: world.app.db).sort(\.$sequence, .descending).first())
            try await last.delete(on: world.app.db)
            guard case .broken = try await AuditChain.verify(on: world.app.db) else {
                Issue.record("deleting the newest event went unnoticed")
                return
            }
        }
    }

    @Test func reorderingEventsBreaksTheChain() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let second = try await event(2, world)
            let fifth = try await event(5, world)
            second.sequence = -5
            try await second.save(on: world.app.db)
            fifth.sequence = 2
            try await fifth.save(on: world.app.db)
            second.sequence = 5
            try await second.save(on: world.app.db)
            guard case .broken(let at, _) = try await AuditChain.verify(on: world.app.db) else {
                Issue.record("reordering went unnoticed")
                return
            }
            #expect(at == 2)
        }
    }
}
