import Fluent
import SQLKit

/// Each part of a draft assessment has its own revision (`AssessmentRevisions`), so a save
/// made on an older one overwrites nothing, and each revision of a part is kept, sealed, with
/// who saved it and when: the base a stale edit is merged from, and what changed since.
/// Issue 15.
struct CreateAssessmentRevisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // `details=3,parents-and-carers=1,…`; empty (an assessment from before) is every part at 1.
        try await (database as! any SQLDatabase).raw(
            "ALTER TABLE assessments ADD COLUMN revisions TEXT NOT NULL DEFAULT ''"
        ).run()
        try await database.schema(AssessmentPartRevision.schema)
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id"))
            .field("part", .string, .required)
            .field("revision", .int, .required)
            .field("content", .string, .required)
            .field("saved_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("saved_at", .datetime, .required)
            .unique(on: "assessment_id", "part", "revision")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AssessmentPartRevision.schema).delete()
        try await (database as! any SQLDatabase).raw("ALTER TABLE assessments DROP COLUMN revisions").run()
    }
}
