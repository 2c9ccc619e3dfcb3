import Fluent
import FluentSQLiteDriver
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

    /// Issue 15: races are tried as a deployment meets them: on SQLite, a file in WAL mode
    /// that at least two connections (one an event loop) write to at once.
    @Test func testsRaceOnWALWithTwoConnections() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            guard !TestWorld.onPostgres else { return }
            let journal = try await (world.app.db as! any SQLDatabase).raw("PRAGMA journal_mode").first()?
                .decode(column: "journal_mode", as: String.self)
            #expect(journal == "wal")
            var loops = world.app.eventLoopGroup.makeIterator()
            var count = 0
            while loops.next() != nil { count += 1 }
            #expect(count >= 2, "one SQLite connection an event loop")
        }
    }

    /// Issue 15: on SQLite a transaction that read and then wrote failed "database is locked"
    /// when another's write committed in between (WAL's busy snapshot, which no retry cures).
    /// A `writeTransaction` holds the file from its start, so changes that read first take
    /// turns: every one lands and none is lost.
    @Test func changesThatReadBeforeTheyWriteTakeTurnsOnSQLite() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            guard !TestWorld.onPostgres else { return }
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE race_probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await sql.raw("INSERT INTO race_probe (id, n) VALUES (1, 0)").run()
            let app = world.app
            let landed = try await StateRaceTests.atOnce(8) { _ in
                try await app.db.writeTransaction { db in
                    let sql = db as! any SQLDatabase
                    let n = try await sql.raw("SELECT n FROM race_probe WHERE id = 1").first()!.decode(column: "n", as: Int.self)
                    try await Task.sleep(for: .milliseconds(2))
                    try await sql.raw("UPDATE race_probe SET n = \(bind: n + 1) WHERE id = 1").run()
                }
                return .ok
            }
            #expect(landed.allSatisfy { $0 == .ok })
            let n = try await sql.raw("SELECT n FROM race_probe WHERE id = 1").first()?.decode(column: "n", as: Int.self)
            #expect(n == 8)
        }
    }

    /// Issue 16 item 3: the PostgreSQL pool is sized from the environment, within bounds.
    @Test func theConnectionPoolIsSizedFromTheEnvironment() {
        #expect(Settings.fromEnvironment(demo: true, [:]).databaseConnectionsPerCore == 4)
        #expect(Settings.fromEnvironment(demo: true, ["ECAF_DATABASE_CONNECTIONS": "16"]).databaseConnectionsPerCore == 16)
        for bad in ["0", "65", "many", "-1", String(repeating: "9", count: 40)] {
            let settings = Settings.fromEnvironment(demo: true, ["ECAF_DATABASE_CONNECTIONS": bad])
            #expect(settings.databaseConnectionsPerCore == 4)
            #expect(settings.problems.contains("ECAF_DATABASE_CONNECTIONS as a whole number from 1 to 64"), "\(bad)")
        }
    }

    /// Issue 16 item 3: on a SQLite file held by another writer, a change (here the audit
    /// of a read) waits for it, sleeping between tries, for a bounded time; then it is refused
    /// whole with 503 and Retry-After, never a 500, and nothing of it is kept.
    @Test(.timeLimit(.minutes(2))) func aChangeWaitsForAHeldFileThenIsRefusedWhole() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            guard let path = world.sqlitePath else { return }
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let audited = try await AuditEvent.query(on: world.app.db).count()
            // The other writer: a connection on threads of its own, holding the file for longer
            // than the wait, then letting go whatever the request did (so a request that
            // waited without bound would end in 200 and fail the test, not hang it).
            let threads = NIOThreadPool(numberOfThreads: 1)
            threads.start()
            let holder = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threads, on: world.app.eventLoopGroup.any())
            _ = try await holder.query("BEGIN IMMEDIATE")
            let started = ContinuousClock.now
            let request = Task {
                let answer = try await world.send(.GET, APIURL.child(child).path, token: amy)
                return (answer, ContinuousClock.now - started)
            }
            try await Task.sleep(for: .milliseconds(sqliteBusyWait + 3_000))
            _ = try await holder.query("ROLLBACK")
            try await holder.close()
            try await threads.shutdownGracefully()
            let (refused, waited) = try await request.value
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers.first(name: .retryAfter) == "2")
            #expect(try world.error(refused).code == "busy")
            #expect(sqliteBusyWait >= 5_000 && waited >= .seconds(5), "it waited for the file rather than failing at once")
            #expect(try await AuditEvent.query(on: world.app.db).count() == audited)
            #expect(try await world.send(.GET, APIURL.child(child).path, token: amy).status == .ok)
        }
    }

    /// Issue 16 item 3: 64 people searching at once, each search audited with the children it
    /// found, all answered, none with a 5xx, and every search in the audit naming them: on
    /// SQLite each audit is one statement that holds the file only while it runs.
    @Test func sixtyFourSearchesAtOnceAreAllAnsweredAndAudited() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            var tokens: [String] = []
            for email in ["amy", "ben", "carla", "dan", "erin", "gus", "mia", "hana"] {
                tokens.append(try await world.token("\(email)@demo.test"))
            }
            let before = try await AuditEvent.query(on: world.app.db).filter(\.$action == "search-children").count()
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<64 {
                    let token = tokens[index % tokens.count]
                    group.addTask {
                        try await world.send(
                            .POST, APIURL.childSearch.path, token: token, json: ["q": "lily evans", "dob": "2016-05-01"]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.count == 64)
            #expect(statuses.allSatisfy { $0.code < 500 }, "\(statuses.filter { $0.code >= 500 })")
            #expect(statuses.filter { $0 == .ok }.count == 64, "\(Set(statuses.map(\.code)))")
            let searches = try await AuditEvent.query(on: world.app.db).filter(\.$action == "search-children").all()
            #expect(searches.count - before == 64)
            let naming = try await (world.app.db as! any SQLDatabase).select()
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_children")
                .where("child_id", .equal, SQLBind(child)).first()?.decode(column: "n", as: Int.self)
            #expect((naming ?? 0) >= 64, "each search's trail names the child it found")
        }
    }

    /// Issue 15: every change goes through the one helper (`Database.writeTransaction`); a
    /// plain Fluent transaction on SQLite reads before it holds the file. Migrations, which
    /// run alone, are the exception.
    @Test func everyChangeIsMadeInAWriteTransaction() throws {
        for (url, text) in try SourceFiles.swift(under: "App") where !url.path.contains("/Migrations/") {
            let plain = text.components(separatedBy: ".transaction").count - 1
            #expect(plain == 0, "\(url.lastPathComponent) opens \(plain) plain transaction(s)")
        }
    }

    /// Issue 14: controllers take a request to a service and its answer to a page or a DTO;
    /// the database is reached from Core and the pages' query files, never from a controller.
    @Test func noControllerImportsFluentOrBuildsAQuery() throws {
        let controllers = try SourceFiles.swift(under: "App/Controllers").filter {
            $0.url.lastPathComponent.hasSuffix("Controller.swift")
        }
        #expect(controllers.count > 20)
        for (url, text) in controllers {
            for reach in [
                "import Fluent", "import SQLKit", ".query(on:", ".raw(", "writeTransaction", ".save(on:", ".create(on:",
                ".delete(on:",
            ] {
                #expect(!text.contains(reach), "\(url.lastPathComponent) uses \(reach)")
            }
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
        let file = TestWorld.SQLiteFile()
        defer { file.remove() }
        try await withApp(configure: { app in try await configure(app, Settings(store: .sqliteFile(file.path))) }) {
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
