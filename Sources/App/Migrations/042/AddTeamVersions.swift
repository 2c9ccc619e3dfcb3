import Fluent

/// Who is in an episode's team, who leads it and what the family consented to, together, get
/// a version with who changed them last and when: a change made on an older one (the lead
/// replaced since the page was opened, say) changes nothing (412). Issue 15.
struct AddTeamVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Episode.schema).field("team_version", .int, .required, .sql(.default(1))).update()
        try await database.schema(Episode.schema)
            .field("team_updated_by_id", .uuid, .references(Practitioner.schema, "id")).update()
        try await database.schema(Episode.schema).field("team_updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["team_updated_at", "team_updated_by_id", "team_version"] {
            try await database.schema(Episode.schema).deleteField(.string(field)).update()
        }
    }
}
