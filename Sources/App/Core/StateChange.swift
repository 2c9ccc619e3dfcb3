import Fluent
import Foundation
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
        let changed = try await db.sql.raw(
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

    /// The team version a change to who is in the team, who leads it or the consent is
    /// decided on: the one its writer sent, refused before anything is checked if the team has
    /// moved on from it (412, naming who moved it and when, so a stale form is told so before
    /// any other problem); or, when none was sent, the one its checks read now.
    static func teamVersion(sent: Int?, read episode: Episode, on db: any Database) async throws -> Int {
        guard let sent, sent != episode.teamVersion else { return episode.teamVersion }
        throw AppError.stale(
            "team", by: try await episode.$teamUpdatedBy.get(on: db), at: episode.teamUpdatedAt, now: episode.teamVersion)
    }

    /// Moves the episode's team on a version, after `requireOpen` holds its row: a change
    /// decided on version `basedOn` (`teamVersion(sent:read:)`) changes nothing if the team
    /// has changed since (412, naming who changed it and when): what it checked (the consent,
    /// who is in the team) still holds when it is made. Nil: a change that stands whatever
    /// changed (a consent withdrawal or override naming no version). Returns the new version.
    @discardableResult
    static func changeTeam(of episodeID: UUID, basedOn: Int?, by practitionerID: UUID, on db: any Database) async throws
        -> Int
    {
        guard let episode = try await Episode.query(on: db).filter(\.$id == episodeID).with(\.$teamUpdatedBy).first() else {
            throw AppError.notFound("episode")
        }
        guard basedOn == nil || basedOn == episode.teamVersion else {
            throw AppError.stale("team", by: episode.teamUpdatedBy, at: episode.teamUpdatedAt, now: episode.teamVersion)
        }
        let moved = try await db.sql.raw(
            """
            UPDATE \(ident: Episode.schema) SET team_version = team_version + 1,
                team_updated_by_id = \(bind: practitionerID), team_updated_at = \(bind: Date())
            WHERE id = \(bind: episodeID) RETURNING team_version
            """
        ).first()
        return try moved!.decode(column: "team_version", as: Int.self)
    }

    /// Holds row `id` of `table` until the caller's transaction ends, so changes that read
    /// before they write (a lead's term ended and another begun) take turns. PostgreSQL locks
    /// the row; on SQLite the `writeTransaction` it runs in already holds the whole file.
    static func lock(_ table: String, id: UUID, on db: any Database) async throws {
        assert(db.inTransaction, "a lock is held by the transaction that writes")
        let sql = db.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }
}
