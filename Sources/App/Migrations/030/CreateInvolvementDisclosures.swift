import Fluent
import SQLKit

/// Whom a sensitive service has let see its involvement with a child (a practitioner in the
/// organisation they worked for then), on whose word, and when that was withdrawn. A row is
/// never deleted: a withdrawal is stamped on it.
struct CreateInvolvementDisclosures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("involvement_disclosures")
            .id()
            .field("involvement_id", .uuid, .required, .references("child_involvements", "id"))
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("agreed_by", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references("practitioners", "id"))
            .field("recorded_at", .datetime, .required)
            .field("withdrawn_by_id", .uuid, .references("practitioners", "id"))
            .field("withdrawn_at", .datetime)
            .create()
        // One standing disclosure per person: a second while one stands is refused by the
        // database itself, whatever races to write it.
        try await (database as! any SQLDatabase).raw(
            """
            CREATE UNIQUE INDEX involvement_disclosures_standing ON involvement_disclosures (involvement_id, practitioner_id)
            WHERE withdrawn_at IS NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("involvement_disclosures").delete()
    }
}
