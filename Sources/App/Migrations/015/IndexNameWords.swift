import Fluent
import SQLKit

/// PostgreSQL finds names through their words: a small dictionary of every distinct word
/// (trigram-indexed, so a typed term finds its near spellings in a few thousand rows rather
/// than a million) and each name's words as a GIN-indexed array. This replaces the trigram
/// index over whole names, which slowed as common trigrams grew. SQLite keeps its FTS5 table.
struct IndexNameWords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for statement: SQLQueryString in [
            "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",
            "CREATE TABLE name_words (word text PRIMARY KEY)",
            "CREATE INDEX name_words_trgm ON name_words USING gin (word gin_trgm_ops)",
            "ALTER TABLE child_names ADD COLUMN words text[] GENERATED ALWAYS AS (string_to_array(name_key, ' ')) STORED",
            "CREATE INDEX child_names_words ON child_names USING gin (words)",
            """
            CREATE FUNCTION child_names_words() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO name_words SELECT DISTINCT unnest(NEW.words) ON CONFLICT DO NOTHING; RETURN NULL; END $$
            """,
            """
            CREATE TRIGGER child_names_words AFTER INSERT OR UPDATE OF name_key ON child_names
            FOR EACH ROW EXECUTE FUNCTION child_names_words()
            """,
            "INSERT INTO name_words SELECT DISTINCT unnest(words) FROM child_names ON CONFLICT DO NOTHING",
            "DROP INDEX child_names_trgm",
        ] {
            try await sql.raw(statement).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for statement: SQLQueryString in [
            "CREATE INDEX child_names_trgm ON child_names USING gin (name_key gin_trgm_ops)",
            "DROP TRIGGER child_names_words ON child_names", "DROP FUNCTION child_names_words()",
            "ALTER TABLE child_names DROP COLUMN words", "DROP TABLE name_words",
        ] {
            try await sql.raw(statement).run()
        }
    }
}
