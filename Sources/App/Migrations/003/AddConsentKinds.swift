import Fluent
import SQLKit

/// Consent as a history of decisions (given, withdrawn, overridden) with reasons, and
/// refusals that keep only their note.
struct AddConsentKinds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("consents")
            .field("kind", .string, .required, .sql(.default("given")))
            .update()
        try await database.schema("consents")
            .field("reason", .string, .required, .sql(.default("")))
            .update()
        try await database.schema("consent_refusals")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("given_by", .string, .required)
            .field("name", .string, .required)
            .field("note", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("recorded_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("consent_refusals").delete()
        try await database.schema("consents").deleteField("reason").update()
        try await database.schema("consents").deleteField("kind").update()
    }
}
