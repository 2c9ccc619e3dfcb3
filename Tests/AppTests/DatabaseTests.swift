import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite struct DatabaseTests {
    @Test func suiteRunsOnTheDatabaseScriptsTestAskedFor() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let dialect = (world.app.db as! any SQLDatabase).dialect.name
            #expect(dialect == (TestWorld.onPostgres ? "postgresql" : "sqlite"))
        }
    }

    /// The embedded default must not lose an acknowledged write: WAL, synchronous=FULL,
    /// foreign keys on.
    @Test func sqliteFileIsDurable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withApp(configure: { app in
            try await configure(app, Settings(store: .sqliteFile(directory.appendingPathComponent("ecaf.sqlite").path)))
        }) { (app: Application) async throws in
            let sql = app.db as! any SQLDatabase
            let journal = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            let synchronous = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            let foreignKeys = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            #expect(journal == "wal")
            #expect(synchronous == 2)
            #expect(foreignKeys == 1)
        }
    }

    /// SQLite takes a thread for each statement, and its driver retries a locked database
    /// without end. On the process-wide blocking pool (a thread a core) two such retries, from
    /// two tests' apps, held every thread while the transactions they waited on queued behind
    /// them, and CI hung. The store answers while every thread of that pool is taken.
    @Test func sqliteAnswersWhileTheSharedBlockingPoolIsFull() async throws {
        try await withApp(configure: { app in try await configure(app, Settings(store: .sqliteMemory)) }) {
            (app: Application) async throws in
            let threads = NIOSingletons.blockingPoolThreadCountSuggestion
            let taken = NIOLockedValueBox(0)
            let release = DispatchSemaphore(value: 0)
            for _ in 0..<threads {
                NIOSingletons.posixBlockingThreadPool.submit { _ in
                    taken.withLockedValue { $0 += 1 }
                    release.wait()
                }
            }
            while taken.withLockedValue({ $0 }) < threads { try await Task.sleep(for: .milliseconds(10)) }
            let answered = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await (app.db as! any SQLDatabase).raw("SELECT 1 AS one").all().count) == 1 }
                group.addTask {
                    try? await Task.sleep(for: .seconds(30))
                    return false
                }
                let first = await group.next() ?? false
                for _ in 0..<threads { release.signal() }
                group.cancelAll()
                return first
            }
            #expect(answered, "a query waited for the process-wide blocking pool")
        }
    }

    @Test func restartKeepsEveryRecordAndDemoSeedingIsIdempotent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ecaf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ecaf.sqlite").path
        for _ in 1...2 {
            try await withApp(configure: { app in
                var settings = Settings(store: .sqliteFile(path), demo: true)
                settings.secrets = .demo  // as `--demo` has: the history's assessments are sealed under it
                try await configure(app, settings)
                try await app.asyncBoot()
            }) { (app: Application) async throws in
                // The personas, and the staff of the history's organisations, each once.
                let historyStaff = DemoHistory.services.map(\.staff).reduce(0, +) * 2
                #expect(try await Practitioner.query(on: app.db).count() == DemoData.personas.count + historyStaff)
                #expect(try await LocalAuthority.query(on: app.db).count() == 2)
                #expect(
                    try await Organisation.query(on: app.db).count()
                        == DemoData.organisations.count + DemoHistory.services.count * 2)
                // The history is added the first time only.
                #expect(try await Episode.query(on: app.db).count() == 240)
            }
        }
    }
}
