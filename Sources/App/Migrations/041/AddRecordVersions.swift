import Fluent

/// Where a child lives, and the admin records of organisations and accounts, each get a
/// version with who made the last change and when: a change sent on an older version
/// overwrites nothing (412). Issue 15.
struct AddRecordVersions: AsyncMigration {
    /// Each table, and the prefix its columns take (a child's version is its whereabouts').
    static let versioned = [(Child.schema, "whereabouts_"), (Organisation.schema, ""), (Practitioner.schema, "")]

    func prepare(on database: any Database) async throws {
        for (table, prefix) in Self.versioned {
            try await database.schema(table).field(.string(prefix + "version"), .int, .required, .sql(.default(1))).update()
            try await database.schema(table)
                .field(.string(prefix + "updated_by_id"), .uuid, .references(Practitioner.schema, "id")).update()
            try await database.schema(table).field(.string(prefix + "updated_at"), .datetime).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (table, prefix) in Self.versioned {
            for field in ["updated_at", "updated_by_id", "version"] {
                try await database.schema(table).deleteField(.string(prefix + field)).update()
            }
        }
    }
}
