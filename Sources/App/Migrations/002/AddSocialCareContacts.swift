import Fluent
import SQLKit

/// Each LA's children's social care numbers (day and out of hours) and how many hours
/// after a safeguarding call the written follow-up is due.
struct AddSocialCareContacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("local_authorities")
            .field("social_care_day_phone", .string, .required, .sql(.default("")))
            .update()
        try await database.schema("local_authorities")
            .field("social_care_out_of_hours_phone", .string, .required, .sql(.default("")))
            .update()
        try await database.schema("local_authorities")
            .field("follow_up_hours", .int, .required, .sql(.default(48)))
            .update()
    }

    func revert(on database: any Database) async throws {
        for column in ["social_care_day_phone", "social_care_out_of_hours_phone", "follow_up_hours"] {
            try await database.schema("local_authorities").deleteField(.string(column)).update()
        }
    }
}
