import CAFCore
import Fluent
import Foundation
import SQLKit

/// Every name a child is or was known by, each with its own fuzzy-search index: pg_trgm on
/// PostgreSQL, an FTS5 trigram table kept by triggers on SQLite.
struct CreateChildNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("child_names")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("kind", .string, .required)
            .field("given_name", .string, .required)
            .field("family_name", .string, .required)
            .field("name_key", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("created_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "child_names_child").on("child_names").column("child_id").run()
        try await sql.create(index: "children_postcode").on("children").column("postcode").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX child_names_trgm ON child_names USING gin (name_key gin_trgm_ops)").run()
        } else {
            // Words are wrapped in `_` so the trigrams mark where words start and end, as
            // pg_trgm's padding does: "jon" then still shares "_jo" with "john".
            try await sql.raw(
                "CREATE VIRTUAL TABLE child_name_search USING fts5(words, name_id UNINDEXED, tokenize = 'trigram')"
            ).run()
            let words = "'_' || replace(new.name_key, ' ', '_ _') || '_'"
            try await sql.raw(
                """
                CREATE TRIGGER child_names_indexed AFTER INSERT ON child_names BEGIN
                INSERT INTO child_name_search (words, name_id) VALUES (\(unsafeRaw: words), new.id); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER child_names_reindexed AFTER UPDATE OF name_key ON child_names BEGIN
                UPDATE child_name_search SET words = \(unsafeRaw: words) WHERE name_id = new.id; END
                """
            ).run()
        }
        // Every existing child's current name.
        for child in try await sql.select().columns("id", "given_name", "family_name", "registered_by_id", "created_at")
            .from("children").all()
        {
            let given = try child.decode(column: "given_name", as: String.self)
            let family = try child.decode(column: "family_name", as: String.self)
            try await sql.insert(into: "child_names")
                .columns("id", "child_id", "kind", "given_name", "family_name", "name_key", "recorded_by_id", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind(try child.decode(column: "id", as: UUID.self)), SQLBind("current"),
                    SQLBind(given), SQLBind(family), SQLBind(NameMatch.key("\(given) \(family)")),
                    SQLBind(try child.decode(column: "registered_by_id", as: UUID.self)),
                    SQLBind(try child.decode(column: "created_at", as: Date?.self))
                ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name != "postgresql" { try await sql.raw("DROP TABLE child_name_search").run() }
        try await database.schema("child_names").delete()
    }
}
