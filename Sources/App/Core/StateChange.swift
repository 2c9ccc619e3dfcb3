import Fluent
import SQLKit

/// A change of state checked by the statement that makes it: "still a draft", "still
/// pending", "still open" read first and written later lets two requests at once both pass.
/// One conditional UPDATE instead, inside the caller's transaction: of changes at once,
/// exactly one finds the row still as it was; the others are refused.
enum StateChange {
    /// Sets `assignments` on row `id` of `table` only while `condition` still holds for it,
    /// or throws `refusal`.
    static func apply(
        _ assignments: SQLQueryString, to table: String, id: UUID, while condition: SQLQueryString, or refusal: AppError,
        on db: any Database
    ) async throws {
        let changed = try await (db as! any SQLDatabase).raw(
            "UPDATE \(ident: table) SET \(assignments) WHERE id = \(bind: id) AND (\(condition)) RETURNING id"
        ).all()
        guard !changed.isEmpty else { throw refusal }
    }

    /// Holds the episode's row for a write to what it holds and checks it is still open: a close
    /// at the same moment then comes wholly before the write (409 episode-closed) or after it.
    /// First in the transaction, before any other row is held (a close holds the episode's).
    static func requireOpen(_ episodeID: UUID, on db: any Database) async throws {
        try await lock(Episode.schema, id: episodeID, on: db)
        guard try await Episode.find(episodeID, on: db)?.status == .open else { throw AppError.closedMeanwhile }
    }

    /// Holds row `id` of `table` until the caller's transaction ends, so changes that read
    /// before they write (a lead's term ended and another begun) take turns. First in the
    /// transaction: PostgreSQL locks the row; SQLite, which locks the whole database, is made to
    /// take its write lock now by a write that changes nothing (a transaction that read first
    /// could not take it later: "database is locked").
    static func lock(_ table: String, id: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
        } else {
            try await sql.raw("UPDATE \(ident: table) SET id = id WHERE id = \(bind: id)").run()
        }
    }
}
