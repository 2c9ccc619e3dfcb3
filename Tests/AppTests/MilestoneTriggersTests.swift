import CAFCore
import Fluent
import Foundation
import SQLKit
import Testing

@testable import App

/// Issue 14 item 1: each milestone rule has one home, `CAFCore.Milestone`; the database's
/// triggers are made from it and agree with it, and `ecaf migrate` puts back one that differs.
@Suite struct MilestoneTriggersTests {
    /// Every episode of a generated history: what the triggers kept equals the Swift rule over
    /// the same records.
    @Test func eachRuleGivesTheSameInTheDatabaseAsInSwift() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            _ = try await DemoHistory.generate(
                episodes: 60, years: 2, seed: 14, passwordHash: "unused", keys: try world.app.requireSecrets(), on: db)
            let kept = try await Self.kept(on: db as! any SQLDatabase)
            var compared = [Milestone: Int]()
            for episode in try await Episode.query(on: db).all() {
                let records = try await Self.records(of: episode.id!, on: db)
                for milestone in Milestone.allCases {
                    let expected = milestone.earliest(records)
                    #expect(kept[episode.id!]?[milestone] == expected, "\(milestone) of \(episode.id!)")
                    if expected != nil { compared[milestone, default: 0] += 1 }
                }
            }
            // The history reaches every step, so every rule was compared on real values.
            #expect(Milestone.allCases.allSatisfy { compared[$0, default: 0] > 5 }, "\(compared)")
        }
    }

    /// A database whose triggers are another rule's (here, help "started" only by planned
    /// actions)
    /// has the current one put back by `ecaf migrate`, and every episode worked out afresh;
    /// a database already current is left as it is.
    @Test func migratePutsBackARuleThatDiffers() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let sql = db as! any SQLDatabase
            #expect(try await MilestoneTriggers.install(on: sql).isEmpty)
            _ = try await DemoHistory.generate(
                episodes: 30, years: 2, seed: 3, passwordHash: "unused", keys: try world.app.requireSecrets(), on: db)
            let current = try await Self.kept(on: sql)

            try await MilestoneTriggers.drop(.helped, on: sql)
            for statement in MilestoneTriggers.definitions(.helped, sql) {
                let old = statement.replacingOccurrences(of: "status IN ('in-progress', 'done')", with: "status = 'planned'")
                try await sql.raw("\(unsafeRaw: old)").run()
            }
            // Every action written again, as a year of work under the other rule would.
            try await sql.raw("UPDATE plan_actions SET status = status").run()
            let stale = try await Self.kept(on: sql)
            #expect(stale != current, "the other rule finds no help started")

            #expect(try await MilestoneTriggers.install(on: sql) == [.helped])
            let restored = try await Self.kept(on: sql)
            for episode in try await Episode.query(on: db).all() {
                let records = try await Self.records(of: episode.id!, on: db)
                #expect(restored[episode.id!]?[.helped] == Milestone.helped.earliest(records))
            }
            #expect(try await MilestoneTriggers.install(on: sql).isEmpty)
        }
    }

    static func kept(on sql: any SQLDatabase) async throws -> [UUID: [Milestone: Date]] {
        var kept: [UUID: [Milestone: Date]] = [:]
        let columns = Milestone.allCases.map(\.column).joined(separator: ", ")
        for row in try await sql.raw("SELECT id, \(unsafeRaw: columns) FROM episodes").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            for milestone in Milestone.allCases {
                kept[id, default: [:]][milestone] = try row.decode(column: milestone.column, as: Date?.self)
            }
        }
        return kept
    }

    static func records(of episode: UUID, on db: any Database) async throws -> EpisodeRecords {
        var records = EpisodeRecords()
        records.assessments = try await Assessment.query(on: db).filter(\.$episode.$id == episode).all().map {
            .init(status: $0.status, completedAt: $0.completedAt)
        }
        records.meetings = try await TACMeeting.query(on: db).filter(\.$episode.$id == episode).all().map {
            .init(held: $0.held, scheduledAt: $0.scheduledAt)
        }
        records.actions = try await PlanAction.query(on: db).filter(\.$episode.$id == episode).all().map {
            .init(status: $0.status, startedAt: $0.startedAt, completedAt: $0.completedAt)
        }
        records.leadTermsStartedAt = try await LeadProfessionalTerm.query(on: db).filter(\.$episode.$id == episode).all()
            .map(\.startedAt)
        return records
    }
}
