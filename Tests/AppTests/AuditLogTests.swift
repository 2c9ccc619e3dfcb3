import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The audit log is append-only in the database and sealed in batches (docs/audit.md): the
/// application cannot change or delete an event, a seal or a leaf, and each tampering that
/// document lists is detected, or accepted, exactly as it says.
@Suite struct AuditLogTests {
    /// Digests are stored and compared as lower-case hex, two digits a byte, leading zeros kept.
    @Test func hexIsTwoLowerCaseDigitsAByte() {
        #expect(Hex.string([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.string([UInt8]()) == "")
        #expect(Auth.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// A world with some history, sealed: a child, an episode, a share, a refusal.
    func withHistory(_ test: (TestWorld) async throws -> Void) async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let created = try await world.childWithEpisode(as: amy)
            _ = try await world.send(
                .POST, APIURL.shares(created.episodeID).path, token: amy, json: ["practitionerEmail": "ben@demo.test"])
            let carla = try await world.token("carla@demo.test")
            _ = try await world.send(.GET, APIURL.episode(created.episodeID).path, token: carla)
            try await seal(world)
            try await test(world)
        }
    }

    /// Seals everything written so far. On PostgreSQL an event waits for every transaction
    /// begun before its own to end, in any database of the cluster (transaction ids are the
    /// cluster's), so while other tests run it may take a pass or two.
    func seal(_ world: TestWorld, batchLimit: Int = AuditSealer.batchLimit) async throws {
        let keys = try world.app.requireAuditKeys()
        for _ in 0..<100 {
            try await AuditSealer.sealReady(on: world.app.db, keys: keys, batchLimit: batchLimit)
            if try await AuditSealer.pending(on: world.app.db).count == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("events still wait for the sealer after ten seconds")
    }

    func verify(_ world: TestWorld, checkpoint: AuditVerifier.Checkpoint? = nil) async throws -> AuditVerifier.Verdict {
        try await AuditVerifier.verify(on: world.app.db, keys: try world.app.requireAuditKeys(), checkpoint: checkpoint)
    }

    func brokenReason(_ world: TestWorld, checkpoint: AuditVerifier.Checkpoint? = nil) async throws -> String? {
        guard case .broken(let reason) = try await verify(world, checkpoint: checkpoint) else { return nil }
        return reason
    }

    /// As an operator with the schema's rights would, before rewriting history.
    func liftAppendOnly(_ world: TestWorld) async throws {
        let sql = world.app.db as! any SQLDatabase
        for table in ["audit_events", "audit_children", "audit_seals", "audit_leaves"] {
            try await AppendOnly.lift(table, on: sql)
        }
        try await SealAuditLog.liftAsWritten(on: sql)
    }

    var sql: (TestWorld) -> any SQLDatabase { { $0.app.db as! any SQLDatabase } }

    func event(_ sequence: Int64, _ world: TestWorld) async throws -> AuditEvent {
        try #require(try await AuditEvent.query(on: world.app.db).filter(\.$sequence == sequence).first())
    }

    func latestCheckpoint(_ world: TestWorld) async throws -> AuditVerifier.Checkpoint {
        let seal = try #require(try await AuditSeal.query(on: world.app.db).sort(\.$id, .descending).first())
        return try #require(AuditVerifier.Checkpoint(printed: AuditVerifier.printed(seal)))
    }

    /// Issue 16 item 2: no statement through the application's connection changes or deletes
    /// an event, a seal or a leaf, whichever way it is sent.
    @Test func theApplicationCanNeitherChangeNorDeleteAnEvent() async throws {
        try await withHistory { world in
            let db = world.app.db
            let sql = sql(world)
            let count = try await AuditEvent.query(on: db).count()
            let third = try await event(3, world)
            let detail = third.detail
            third.detail += " (edited)"
            await #expect(throws: (any Error).self) { try await third.save(on: db) }
            await #expect(throws: (any Error).self) { try await event(4, world).delete(on: db) }
            for (table, column) in [("audit_events", "detail"), ("audit_seals", "root"), ("audit_leaves", "leaf")] {
                await #expect(throws: (any Error).self) { try await sql.update(table).set(column, to: SQLBind("x")).run() }
                await #expect(throws: (any Error).self) { try await sql.delete(from: table).run() }
                if TestWorld.onPostgres {
                    await #expect(throws: (any Error).self) { try await sql.raw("TRUNCATE \(ident: table) CASCADE").run() }
                }
            }
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_events SET detail = 'x'").run() }
            #expect(try await AuditEvent.query(on: db).count() == count)
            #expect(try await event(3, world).detail == detail)
            guard case .intact(let report) = try await verify(world) else {
                Issue.record("an untouched log did not verify")
                return
            }
            #expect(report.sealed == count)
            // New events are still written.
            _ = try await world.registerChild(as: try await world.token("amy@demo.test"))
            #expect(try await AuditEvent.query(on: db).count() > count)
        }
    }

    /// ASVS V7.3.4: every entry carries the server's own clock (never a time a client sends),
    /// to the millisecond the seal covers, and is shown in UTC.
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
            #expect(abs(milliseconds - milliseconds.rounded()) < 0.01, "whole milliseconds, as sealed")

            let erin = try await world.token("erin@demo.test")
            let trail = try world.json(try await world.send(.GET, APIURL.audit.path + "?childId=\(child)", token: erin))
            let shown = try #require((trail["events"] as? [[String: Any]])?.first?["occurredAt"] as? String)
            #expect(shown.hasSuffix("Z"), "\(shown) is UTC")
        }
    }

    /// Every event is sealed once, in batches that chain, each signed; what is written after
    /// the last seal is reported as waiting, and sealed by the next pass.
    @Test func anUntouchedLogVerifies() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            for _ in 0..<6 { _ = try await world.registerChild(as: amy) }
            let count = try await AuditEvent.query(on: world.app.db).count()
            #expect(count > 5)
            try await seal(world, batchLimit: 2)
            guard case .intact(let report) = try await verify(world) else {
                Issue.record("an untouched log did not verify")
                return
            }
            #expect(report.sealed == count)
            #expect(report.batches == (count + 1) / 2)
            #expect(report.pending == 0 && report.oldestPending == nil)
            let leaves = try await sql(world).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("audit_leaves").first()
            #expect(try leaves?.decode(column: "n", as: Int.self) == count)

            _ = try await world.registerChild(as: amy)
            guard case .intact(let waiting) = try await verify(world) else {
                Issue.record("a log with events waiting did not verify")
                return
            }
            #expect(waiting.sealed == count && waiting.pending > 0 && waiting.oldestPending != nil)
            try await seal(world)
            guard case .intact(let later) = try await verify(world) else {
                Issue.record("the next seal did not verify")
                return
            }
            #expect(later.sealed == count + waiting.pending && later.pending == 0)
        }
    }

    /// Two sealers at once (two servers, or a server and `ecaf audit seal`) seal each event
    /// exactly once: one waits for the other's turn or finds nothing left.
    @Test func twoSealersAtOnceSealEachEventOnce() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            for _ in 0..<5 { _ = try await world.registerChild(as: amy) }
            let count = try await AuditEvent.query(on: world.app.db).count()
            let keys = try world.app.requireAuditKeys()
            let db = world.app.db
            // Each pass waits its turn (SQLite) or finds the other sealing and leaves it
            // (PostgreSQL's advisory lock); whichever, no event is sealed twice.
            async let first = AuditSealer.sealReady(on: db, keys: keys, batchLimit: 3)
            async let second = AuditSealer.sealReady(on: db, keys: keys, batchLimit: 3)
            _ = try await (first, second)
            try await seal(world)
            guard case .intact(let report) = try await verify(world) else {
                Issue.record("two sealers broke the log")
                return
            }
            #expect(report.sealed == count)
        }
    }

    /// Rewriting a sealed event and re-hashing everything above it (its digest, its leaf, its
    /// batch's root) still fails: the head needs the key the database never holds.
    @Test func rewritingAnEventAndRehashingItsBatchIsDetected() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let third = try await event(3, world)
            third.detail += " (edited)"
            third.detailDigest = AuditFormat.digest(ofDetail: third.detail)
            try await third.save(on: world.app.db)
            let leaf = AuditFormat.leafHash(third)
            try await sql(world).update("audit_leaves").set("leaf", to: SQLBind(leaf))
                .where("event_id", .equal, SQLBind(third.id!)).run()
            let batch = try #require(
                try await sql(world).select().column("batch").from("audit_leaves").where("event_id", .equal, SQLBind(third.id!))
                    .first()?.decode(column: "batch", as: Int64.self))
            let leaves = try await sql(world).select().column("leaf").from("audit_leaves")
                .where("batch", .equal, SQLBind(batch)).orderBy("position").all()
                .map { try $0.decode(column: "leaf", as: String.self) }
            try await sql(world).update("audit_seals").set("root", to: SQLBind(AuditFormat.root(leaves)))
                .where("batch", .equal, SQLBind(batch)).run()
            let reason = try await brokenReason(world)
            #expect(reason?.contains("head was not made with this deployment's key") == true, "\(reason ?? "intact")")
        }
    }

    @Test func changingASealedEventIsDetectedThere() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let third = try await event(3, world)
            third.actorEmail = "someone-else@demo.test"
            try await third.save(on: world.app.db)
            #expect(try await brokenReason(world) == "event 3 (position 2) was changed after it was sealed")
        }
    }

    @Test func changingADetailWithoutItsDigestIsDetected() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let third = try await event(3, world)
            third.detail += " (edited)"
            try await third.save(on: world.app.db)
            #expect(try await brokenReason(world) == "the detail of event 3 (position 2) was changed after it was written")
        }
    }

    /// Retention may empty a detail: the digest stays, so the log still verifies, and the
    /// purge is counted. Every other field of the event is still covered.
    @Test func purgingADetailStillVerifiesAndIsCounted() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let searched = try #require(
                try await AuditEvent.query(on: world.app.db).filter(\.$detail != "").sort(\.$sequence).first())
            searched.detail = ""
            try await searched.save(on: world.app.db)
            guard case .intact(let report) = try await verify(world) else {
                Issue.record("a purged detail broke the log")
                return
            }
            #expect(report.purged == 1)
        }
    }

    @Test func deletingAMiddleEventIsDetected() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let fourth = try await event(4, world)
            try await fourth.delete(on: world.app.db)
            #expect(try await brokenReason(world) == "the event sealed at position 3 (\(fourth.id!)) is missing")
            // Its leaf deleted too, the batch is short.
            try await sql(world).delete(from: "audit_leaves").where("event_id", .equal, SQLBind(fourth.id!)).run()
            #expect(try await brokenReason(world)?.hasSuffix("has lost a leaf") == true)
        }
    }

    @Test func reorderingSealedEventsIsDetected() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            let (second, fifth) = (try await event(2, world), try await event(5, world))
            let sql = sql(world)
            try await sql.update("audit_leaves").set("event_id", to: SQLBind(UUID())).where(
                "event_id", .equal, SQLBind(second.id!)
            )
            .run()
            try await sql.update("audit_leaves").set("event_id", to: SQLBind(second.id!)).where(
                "event_id", .equal, SQLBind(fifth.id!)
            )
            .run()
            #expect(try await brokenReason(world) != nil)
        }
    }

    /// Deleting the newest batches whole (events, leaves and seals) leaves a shorter log that
    /// verifies on its own, as docs/audit.md says: only a checkpoint kept elsewhere shows it.
    @Test func deletingTheTailIsDetectedAgainstACheckpoint() async throws {
        try await withHistory { world in
            let checkpoint = try await latestCheckpoint(world)
            _ = try await world.registerChild(as: try await world.token("amy@demo.test"))
            try await seal(world)
            guard case .intact = try await verify(world, checkpoint: checkpoint) else {
                Issue.record("a log that extends its checkpoint did not verify")
                return
            }
            try await liftAppendOnly(world)
            let sql = sql(world)
            // The checkpoint's batch and every one after it.
            let tail = try await AuditSeal.query(on: world.app.db).filter(\.$id >= checkpoint.batch).all().compactMap(\.id)
            #expect(tail.count >= 2)
            for batch in tail {
                let events = try await sql.select().column("event_id").from("audit_leaves").where("batch", .equal, SQLBind(batch))
                    .all().map { try $0.decode(column: "event_id", as: UUID.self) }
                try await sql.delete(from: "audit_events").where("id", .in, SQLBind.group(events)).run()
                try await sql.delete(from: "audit_leaves").where("batch", .equal, SQLBind(batch)).run()
                try await sql.delete(from: "audit_seals").where("batch", .equal, SQLBind(batch)).run()
            }
            guard case .intact = try await verify(world) else {
                Issue.record("a log cut at a batch should verify without a checkpoint, as documented")
                return
            }
            let reason = try await brokenReason(world, checkpoint: checkpoint)
            #expect(reason?.contains("sealed events were removed") == true, "\(reason ?? "intact")")
        }
    }

    @Test func aForgedCheckpointIsRefused() async throws {
        try await withHistory { world in
            let checkpoint = try await latestCheckpoint(world)
            let forged = AuditVerifier.printed(
                {
                    let seal = AuditSeal()
                    (seal.id, seal.firstPosition, seal.size, seal.head) = (
                        checkpoint.batch, 0, checkpoint.size + 1, checkpoint.head
                    )
                    seal.sealedAt = Date()
                    seal.signature = checkpoint.signature
                    return seal
                }())
            let parsed: AuditVerifier.Checkpoint = try #require(AuditVerifier.Checkpoint(printed: forged))
            let reason = try await brokenReason(world, checkpoint: parsed)
            #expect(reason == "the checkpoint was not signed with this deployment's signing key")
            // Signed by another key (another deployment's, or one made up), likewise.
            let other = AuditKeys.random()
            let seal = try #require(try await AuditSeal.query(on: world.app.db).sort(\.$id, .descending).first())
            seal.signature = try other.sign(seal.checkpointText)
            let reason2 = try await brokenReason(
                world, checkpoint: AuditVerifier.Checkpoint(printed: AuditVerifier.printed(seal)))
            #expect(reason2 == "the checkpoint was not signed with this deployment's signing key")
        }
    }

    /// No statement through the application's connection can put an event into the past:
    /// whatever it says, the database numbers it (PostgreSQL) or refuses it (SQLite), and an
    /// old time is refused. Put there by someone who lifted that, it is never sealed, and
    /// verify names it; so does a leaf put in for it.
    @Test func anEventPutBehindTheSealIsDetected() async throws {
        try await withHistory { world in
            let sql = sql(world)
            func insert(sequence: Int64, at time: Date) async throws -> UUID {
                let id = UUID()
                var columns = [
                    "id", "occurred_at", "actor_email", "actor_roles", "action", "outcome", "detail", "detail_digest",
                    "sequence",
                ]
                var values: [any SQLExpression] = [
                    SQLBind(id), SQLBind(time), SQLBind("x@demo.test"), SQLBind(""), SQLBind("view-child"),
                    SQLBind("allowed"), SQLBind(""), SQLBind(AuditFormat.emptyDetailDigest), SQLBind(sequence),
                ]
                if TestWorld.onPostgres {
                    // A transaction id from before the sealer's cursor.
                    columns.append("written_in")
                    values.append(SQLQueryString("'3'::xid8"))
                }
                try await sql.insert(into: "audit_events").columns(columns).values(values).run()
                return id
            }
            if TestWorld.onPostgres {
                let id = try await insert(sequence: 0, at: Date(timeIntervalSinceNow: -3_600))
                let stored = try #require(try await AuditEvent.find(id, on: world.app.db))
                #expect(stored.sequence > 1, "numbered by the database, whatever the insert said")
                #expect(abs(stored.occurredAt.timeIntervalSinceNow) < 60, "and timed by it")
            } else {
                await #expect(throws: (any Error).self) {
                    _ = try await insert(sequence: 0, at: Date(timeIntervalSinceNow: -3_600))
                }
                await #expect(throws: (any Error).self) { _ = try await insert(sequence: 0, at: Date()) }
            }
            try await seal(world)
            guard case .intact = try await verify(world) else {
                Issue.record("a log that nothing was put behind did not verify")
                return
            }
            try await liftAppendOnly(world)
            let intruder = try await insert(sequence: 0, at: Date())
            #expect(
                try await brokenReason(world)
                    == "event 0 is not sealed though the sealer has read past it: it was put in afterwards")
            // A leaf put in for it, outside any batch, is found too.
            try await sql.insert(into: "audit_leaves").columns("position", "event_id", "batch", "leaf")
                .values(SQLBind(Int64(999_999)), SQLBind(intruder), SQLBind(Int64(999_999)), SQLBind("00")).run()
            #expect(try await brokenReason(world)?.hasSuffix("a leaf was put in") == true)
        }
    }

    /// A child's trail finds a search by the index of the children it named; that index must
    /// match what was sealed, or a link taken out would hide the search from a trail.
    @Test func aTrailIndexChangedBehindTheSealIsDetected() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let amy = try await world.token("amy@demo.test")
            let child = try await world.registerChild(as: amy)
            let found = try await world.send(
                .POST, APIURL.childSearch.path, token: amy, json: ["q": "lily evans", "dob": "2016-05-01"])
            #expect(found.status == .ok)
            try await seal(world)
            guard case .intact = try await verify(world) else {
                Issue.record("an untouched log did not verify")
                return
            }
            try await liftAppendOnly(world)
            try await sql(world).delete(from: "audit_children").where("child_id", .equal, SQLBind(child)).run()
            #expect(try await brokenReason(world)?.hasSuffix("are not those a child's trail finds it by") == true)
        }
    }

    /// Where the sealer had read to is part of each head: moving a batch's cursor back (to hide
    /// what lies behind it) or forward is found.
    @Test func changingASealsCursorIsDetected() async throws {
        try await withHistory { world in
            try await liftAppendOnly(world)
            try await sql(world).update("audit_seals").set("through_sequence", to: SQLBind(Int64(1))).run()
            #expect(try await brokenReason(world)?.hasSuffix("head was not made with this deployment's key") == true)
        }
    }

    /// A batch put in without the keys is never built on: the sealer stops, loudly, rather
    /// than chain every later batch onto a forgery.
    @Test func aSealNotMadeWithTheKeysStopsTheSealer() async throws {
        try await withHistory { world in
            let last = try #require(try await AuditSeal.query(on: world.app.db).sort(\.$id, .descending).first())
            let forged = AuditSeal()
            (forged.id, forged.firstPosition, forged.size) = (last.id! + 1, last.firstPosition + last.size, 0)
            (forged.root, forged.head, forged.signature) = (AuditFormat.root([]), AuditFormat.genesis, "forged")
            (forged.throughTransaction, forged.throughSequence) = (last.throughTransaction, last.throughSequence)
            forged.sealedAt = Date()
            try await forged.create(on: world.app.db)
            _ = try await world.registerChild(as: try await world.token("amy@demo.test"))
            await #expect(throws: AuditSealer.StoppedSealing.self) {
                try await AuditSealer.sealReady(on: world.app.db, keys: try world.app.requireAuditKeys())
            }
            #expect(try await brokenReason(world)?.contains("head was not made with this deployment's key") == true)
        }
    }

    /// On PostgreSQL events commit out of the order they were numbered in. One numbered
    /// earlier whose transaction is still open holds back the seal of those after it, so it
    /// is never passed over; once it commits, both are sealed and the log verifies.
    @Test func anEventCommittedOutOfOrderIsSealedOnceItsTransactionEnds() async throws {
        guard TestWorld.onPostgres else { return }
        try await withHistory { world in
            let db = world.app.db
            let (opened, release) = AsyncStream<Void>.makeStream()
            let (go, letGo) = AsyncStream<Void>.makeStream()
            let slow = Task {
                try await db.transaction { db in
                    try await Audit.record(on: db, by: nil, email: "slow@demo.test", .signInFailed)
                    release.yield()
                    for await _ in go { break }
                }
            }
            for await _ in opened { break }
            try await Audit.record(on: db, by: nil, email: "quick@demo.test", .signInFailed)
            try await AuditSealer.sealReady(on: db, keys: try world.app.requireAuditKeys())
            let quick = try #require(try await AuditEvent.query(on: db).filter(\.$actorEmail == "quick@demo.test").first())
            let leafOfQuick = try await sql(world).select().column("position").from("audit_leaves")
                .where("event_id", .equal, SQLBind(quick.id!)).first()
            #expect(leafOfQuick == nil, "sealed past an open transaction that numbered an event before it")
            letGo.yield()
            try await slow.value
            try await seal(world)
            guard case .intact(let report) = try await verify(world) else {
                Issue.record("an out-of-order commit broke the log")
                return
            }
            #expect(report.pending == 0)
            #expect(report.sealed == (try await AuditEvent.query(on: db).count()))
        }
    }

    /// The sealer's keys come from the environment, each named when missing or malformed;
    /// never the demo's for a real database.
    @Test func theSealersKeysComeFromTheEnvironment() {
        var problems: [String] = []
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let signing = Data((32..<64).map { UInt8($0) }).base64EncodedString()
        let keys = AuditKeys.fromEnvironment(
            ["ECAF_AUDIT_KEY": key, "ECAF_AUDIT_SIGNING_KEY": signing], demo: false, problems: &problems)
        #expect(problems.isEmpty)
        #expect(keys.map { $0.isSigned("text", by: (try? $0.sign("text")) ?? "") } == true)
        #expect(AuditKeys.fromEnvironment([:], demo: false, problems: &problems) == nil)
        #expect(problems.count == 2)
        for (name, value) in [("ECAF_AUDIT_KEY", "c2hvcnQ="), ("ECAF_AUDIT_SIGNING_KEY", "not base64 at all")] {
            var found: [String] = []
            var env = ["ECAF_AUDIT_KEY": key, "ECAF_AUDIT_SIGNING_KEY": signing]
            env[name] = value
            #expect(AuditKeys.fromEnvironment(env, demo: false, problems: &found) == nil)
            #expect(found.count == 1 && found.first?.hasPrefix(name) == true, "\(found)")
        }
        var demo: [String] = []
        #expect(AuditKeys.fromEnvironment([:], demo: true, problems: &demo) != nil && demo.isEmpty)
    }

    /// Issue 16 item 5: "who has seen this child" reads indexes (events about the child, the
    /// searches naming it, events about its episodes), never the whole log: with a full scan
    /// priced out, the plan still reads no table whole.
    @Test func aChildsTrailIsReadByIndexesNotAScanOfTheLog() async throws {
        try await withHistory { world in
            let sql = world.app.db as! any SQLDatabase
            let trail = Audit.trail(forChildren: [UUID(), UUID()], episodeIDs: [UUID()], on: sql).query
            let plan: [String]
            if TestWorld.onPostgres {
                plan = try await world.app.db.transaction { db in
                    let sql = db as! any SQLDatabase
                    try await sql.raw("SET LOCAL enable_seqscan = off").run()
                    return try await sql.raw("EXPLAIN \(trail)").all().map {
                        try $0.decode(column: "QUERY PLAN", as: String.self)
                    }
                }
                #expect(plan.contains { $0.contains("Index") }, "\(plan)")
                #expect(!plan.contains { $0.contains("Seq Scan") }, "\(plan)")
            } else {
                plan = try await sql.raw("EXPLAIN QUERY PLAN \(trail)").all().map {
                    try $0.decode(column: "detail", as: String.self)
                }
                #expect(plan.contains { $0.hasPrefix("SEARCH audit_events USING") }, "\(plan)")
                #expect(!plan.contains { $0.hasPrefix("SCAN audit_") }, "\(plan)")
            }
        }
    }
}
