import Fluent

/// Local authorities, their organisations, the people who sign in, and API tokens.
struct CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("local_authorities")
            .id()
            .field("name", .string, .required)
            .unique(on: "name")
            .create()
        try await database.schema("organisations")
            .id()
            .field("name", .string, .required)
            .field("agency_type", .string, .required)
            .field("local_authority_id", .uuid, .required, .references("local_authorities", "id"))
            .unique(on: "name", "local_authority_id")
            .create()
        try await database.schema("practitioners")
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("job_title", .string, .required)
            .field("phone", .string, .required)
            .field("password_hash", .string, .required)
            .field("roles", .string, .required)
            .field("organisation_id", .uuid, .references("organisations", "id"))
            .field("disabled", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema("api_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("practitioner_id", .uuid, .required, .references("practitioners", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["api_tokens", "practitioners", "organisations", "local_authorities"] {
            try await database.schema(table).delete()
        }
    }
}
