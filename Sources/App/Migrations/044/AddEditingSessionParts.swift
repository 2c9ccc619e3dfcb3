import Fluent

/// The part of the assessment someone is writing (the one they last typed in, as their page's
/// pings say) and when they typed in it, so the form can say who else is editing each part
/// now. Issue 15.
struct AddEditingSessionParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EditingSession.schema).field("part", .string).update()
        try await database.schema(EditingSession.schema).field("part_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EditingSession.schema).deleteField("part_at").update()
        try await database.schema(EditingSession.schema).deleteField("part").update()
    }
}
