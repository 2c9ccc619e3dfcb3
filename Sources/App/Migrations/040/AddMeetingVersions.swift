import Fluent

/// Each recording of a TAC meeting (attendance, minutes, decisions) makes a new version, with
/// who made it and when: one sent on an older version overwrites nothing (412). Issue 15.
struct AddMeetingVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TACMeeting.schema).field("version", .int, .required, .sql(.default(1))).update()
        try await database.schema(TACMeeting.schema).field("updated_by_id", .uuid, .references("practitioners", "id"))
            .update()
        try await database.schema(TACMeeting.schema).field("updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["updated_at", "updated_by_id", "version"] {
            try await database.schema(TACMeeting.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
