import Fluent

/// The date a plan is reviewed on gets a version with who set it last and when: a date set on
/// an older one (another coordinator set one since the page was opened) changes nothing (412).
/// Issue 15.
struct AddPlanReviewVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Episode.schema).field("plan_review_version", .int, .required, .sql(.default(1))).update()
        try await database.schema(Episode.schema)
            .field("plan_review_updated_by_id", .uuid, .references(Practitioner.schema, "id")).update()
        try await database.schema(Episode.schema).field("plan_review_updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["plan_review_updated_at", "plan_review_updated_by_id", "plan_review_version"] {
            try await database.schema(Episode.schema).deleteField(.string(field)).update()
        }
    }
}
