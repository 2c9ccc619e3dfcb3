import Fluent
import SQLKit
import Vapor

/// On PostgreSQL the schema belongs to a migration role and `serve` connects as a serving
/// role that may read and write records but may neither change nor delete the audit log,
/// nor lift its triggers (only a table's owner may). `ecaf migrate`, run as the owner with
/// ECAF_SERVING_ROLE set, grants it exactly that; `serve` outside `--demo` refuses to run as
/// the owner or a superuser. Issue 16 item 2.
enum ServingRole {
    /// Tables the serving role may read and add to, never change: the audit log, its index,
    /// its seals and leaves, and the record of which migrations ran.
    static let appendOnly = ["audit_events", "audit_children", "audit_seals", "audit_leaves", "_fluent_migrations"]

    /// A PostgreSQL role name as `ECAF_SERVING_ROLE` may give it: a plain lower-case name.
    static func isPlainName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-z_][a-z0-9_]{0,62}/) != nil
    }

    /// Grants the serving role what it needs on every table and sequence there is now: run
    /// after each release's migrations, which may add tables.
    static func grant(to role: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("GRANT USAGE ON SCHEMA public TO \(ident: role)").run()
        try await sql.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(ident: role)").run()
        try await sql.raw("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(ident: role)").run()
        for table in appendOnly {
            try await sql.raw("REVOKE UPDATE, DELETE, TRUNCATE ON \(ident: table) FROM \(ident: role)").run()
        }
        try await sql.raw("REVOKE INSERT ON _fluent_migrations FROM \(ident: role)").run()
    }

    /// Brings the schema up to date, as its owner; a serving role, which may not create in
    /// the schema, only checks that `ecaf migrate` has.
    static func migrate(_ app: Application) async throws {
        let sql = app.db.sql
        guard sql.dialect.name == "postgresql",
            try await sql.raw("SELECT has_schema_privilege('public', 'CREATE') AS may").first()?
                .decode(column: "may", as: Bool.self) == false
        else { return try await app.autoMigrate() }
        let applied = try await sql.select().column("name").from("_fluent_migrations").all()
            .map { try $0.decode(column: "name", as: String.self) }
        let missing = allMigrations.map(\.name).filter { !Set(applied).contains($0) }
        guard missing.isEmpty else {
            throw Refusal(
                description:
                    "the database lacks \(missing.count) migrations of this release (\(missing[0]) first): run `ecaf migrate` as the schema's owner before serving"
            )
        }
    }

    /// Why this connection must not serve, if it must not: it owns (or is a member of the
    /// role that owns, even without inheriting its rights) the audit log's tables or the
    /// schema, so it could lift their triggers or drop and recreate them; it is a superuser or
    /// may create roles (and so make itself one of those); or it may create objects in the
    /// schema or schemas in the database, for the owner to run later.
    static func ownershipProblem(on sql: any SQLDatabase) async throws -> String? {
        guard sql.dialect.name == "postgresql" else { return nil }
        let row = try await sql.raw(
            """
            SELECT current_user AS role, r.rolsuper OR r.rolcreaterole AS powerful,
                EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind = 'r'
                    AND c.relname IN ('audit_events', 'audit_children', 'audit_seals', 'audit_leaves')
                    AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owns_log,
                EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'public'
                    AND pg_has_role(current_user, n.nspowner, 'MEMBER')) AS owns_schema,
                has_schema_privilege('public', 'CREATE')
                    OR has_database_privilege(current_database(), 'CREATE') AS creates
            FROM pg_roles r WHERE r.rolname = current_user
            """
        ).first()
        guard let row else { return nil }
        let role = try row.decode(column: "role", as: String.self)
        let reasons = [
            ("is a superuser or may create roles", "powerful"), ("owns the audit log", "owns_log"),
            ("owns the schema", "owns_schema"), ("may create in the schema or the database", "creates"),
        ].compactMap { reason, column in (try? row.decode(column: column, as: Bool.self)) == true ? reason : nil }
        guard !reasons.isEmpty else { return nil }
        return
            "eCAF will not serve as \(role), which \(reasons.joined(separator: " and ")) and so could rewrite the audit log: connect as a serving role that `ecaf migrate` granted (ECAF_SERVING_ROLE; see the README)"
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }
}
