import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The demo history gives every measure something to show, the same for the same seed, and
/// never touches the demo personas.
@Suite struct DemoHistoryTests {
    @Test func aSeededHistoryFillsTheMeasures() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let db = world.app.db
            let made = try await DemoHistory.generate(
                episodes: 120, years: 2, passwordHash: "unused", keys: try world.app.requireSecrets(), on: db)
            #expect(made == 120)
            #expect(try await Episode.query(on: db).count() == 120)
            let personas = try await Practitioner.query(on: db).filter(\.$email ~~ DemoData.personas.map(\.email)).all()
            #expect(try await Episode.query(on: db).filter(\.$author.$id ~~ personas.compactMap(\.id)).count() == 0)

            let erin = try await world.signedIn("erin@demo.test")
            let report = try await MeasureReports.report(Measure.allCases, filters: .init(), by: erin, on: db)
            for table in report.tables {
                let all = try #require(table.rows.last, "\(table.measure)")
                #expect((all.cells.first?.value ?? 0) > 0, "\(table.measure) has figures")
            }
        }
    }

    @Test func theSameSeedGivesTheSameHistory() async throws {
        func fingerprint() async throws -> [Int] {
            var counts: [Int] = []
            try await TestWorld.run { (world: TestWorld) async throws in
                let db = world.app.db
                _ = try await DemoHistory.generate(
                    episodes: 40, years: 2, seed: 7, now: ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!,
                    passwordHash: "unused", keys: try world.app.requireSecrets(), on: db)
                counts = [
                    try await Episode.query(on: db).filter(\.$status == .closed).count(),
                    try await Assessment.query(on: db).count(), try await PlanAction.query(on: db).count(),
                    try await TACInvitation.query(on: db).filter(\.$attendance == .attended).count(),
                ]
            }
            return counts
        }
        #expect(try await fingerprint() == (try await fingerprint()))
    }
}
