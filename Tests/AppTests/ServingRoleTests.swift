import Fluent
import Foundation
import PostgresNIO
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Issue 16 item 2: on PostgreSQL `serve` connects as a role that may add to the audit log but
/// neither change nor delete it, nor lift its triggers; only the schema's owner, which
/// `serve` refuses to run as, could.
@Suite struct ServingRoleTests {
    @Test func theServingRoleMayAddToTheAuditLogButNeverChangeIt() async throws {
        guard TestWorld.onPostgres, let admin = ProcessInfo.processInfo.environment["ECAF_TEST_POSTGRES_URL"] else { return }
        try await TestWorld.run { (world: TestWorld) async throws in
            let owner = world.app.db as! any SQLDatabase
            let role = "ecaf_serving_" + UUID().uuidString.prefix(8).lowercased()
            try await owner.raw("CREATE ROLE \(ident: role) LOGIN").run()
            try await ServingRole.grant(to: role, on: owner)
            let database = try #require(
                try await owner.raw("SELECT current_database() AS name").first()?.decode(column: "name", as: String.self))
            var url = try #require(URLComponents(string: admin))
            (url.user, url.path) = (role, "/" + database)
            var settings = Settings(store: .postgres(url.string!), twoFactorRequired: false)
            settings.refusesSchemaOwner = true
            (settings.secrets, settings.auditKeys) = (world.app.secrets, world.app.auditKeys)
            try await withApp(configure: { app in
                try await configure(app, settings)
                app.logger.logLevel = .error
                try await app.asyncBoot()
            }) { served in
                // It serves: a child registered, searched for, read, each audited.
                let server = TestWorld(app: served)
                let amy = try await server.token("amy@demo.test")
                let child = try await server.registerChild(as: amy)
                #expect(try await server.send(.GET, APIURL.child(child).path, token: amy).status == .ok)
                try await AuditSealer.sealReady(on: served.db, keys: try served.requireAuditKeys())
                guard case .intact = try await AuditVerifier.verify(on: served.db, keys: try served.requireAuditKeys()) else {
                    Issue.record("the serving role's log did not verify")
                    return
                }
                // Nor put an event into the past: the database numbers and times it.
                let intruder = UUID()
                try await sql(served).raw(
                    """
                    INSERT INTO audit_events (id, occurred_at, actor_email, actor_roles, action, outcome, detail, detail_digest, sequence, written_in)
                    VALUES (\(bind: intruder), now() - interval '1 day', 'x@demo.test', '', 'view-child', 'allowed', '', '', 1, '3'::xid8)
                    """
                ).run()
                let numbered = try #require(try await AuditEvent.find(intruder, on: served.db))
                #expect(numbered.sequence > 1)
                #expect(abs(numbered.occurredAt.timeIntervalSinceNow) < 60, "timed by the database, whatever the insert said")
                // And cannot rewrite history, however it asks.
                let sql = served.db as! any SQLDatabase
                for statement: SQLQueryString in [
                    "UPDATE audit_events SET detail = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events CASCADE",
                    "DELETE FROM audit_seals", "UPDATE audit_leaves SET leaf = 'x'", "DELETE FROM audit_children",
                    "DROP TRIGGER audit_events_append_only ON audit_events", "ALTER TABLE audit_events DISABLE TRIGGER ALL",
                    "DROP TABLE audit_seals", "DELETE FROM _fluent_migrations",
                    "INSERT INTO _fluent_migrations (id, name, batch) VALUES (gen_random_uuid(), 'x', 99)",
                ] {
                    do {
                        try await sql.raw(statement).run()
                        Issue.record("the serving role was allowed: \(statement)")
                    } catch let error as PSQLError {
                        // 42501: insufficient privilege, or not the owner; never the trigger's own refusal.
                        #expect(error.serverInfo?[.sqlState] == "42501", "\(String(reflecting: error))")
                    }
                }
            }
            // The owner itself is refused as a server.
            var ownerURL = try #require(URLComponents(string: admin))
            ownerURL.path = "/" + database
            var asOwner = Settings(store: .postgres(ownerURL.string!))
            asOwner.refusesSchemaOwner = true
            await #expect(throws: ServingRole.Refusal.self) {
                try await withApp(configure: { app in
                    try await configure(app, asOwner)
                    app.logger.logLevel = .critical
                    try await app.asyncBoot()
                }) { _ in }
            }
        }
    }

    @Test func theServingRoleIsAPlainName() {
        #expect(Settings.fromEnvironment(demo: true, ["ECAF_SERVING_ROLE": "ecaf_app"]).servingRole == "ecaf_app")
        for bad in ["Ecaf", "ecaf-app", "ecaf app", "\"x\"; DROP TABLE audit_events", String(repeating: "a", count: 64)] {
            let settings = Settings.fromEnvironment(demo: true, ["ECAF_SERVING_ROLE": bad])
            #expect(settings.servingRole == nil)
            #expect(settings.problems.contains { $0.hasPrefix("ECAF_SERVING_ROLE") }, "\(bad)")
        }
    }

    func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }
}
