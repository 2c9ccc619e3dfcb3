import Fluent
import SQLKit

/// How long, in milliseconds, a change waits on SQLite for another's to finish.
let sqliteBusyWait = 10_000

/// Makes a SQLite connection wait for a held file, sleeping between tries, up to
/// `sqliteBusyWait`, in place of its driver's handler, which retries at once and without end.
/// Set on each connection at start-up (`configure`: one an event loop) and again by each
/// write transaction, should a connection have been opened since.
func waitWhenBusy(_ sql: any SQLDatabase) async throws {
    try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(sqliteBusyWait))").run()
}

extension Database {
    /// The one way a change is made: `body` in a transaction that may write. SQLite begins a
    /// transaction deferred and takes its write lock at the first write; one that read first
    /// and then finds another's write committed in between fails "database is locked" (WAL's
    /// busy snapshot, which no retry cures). So on SQLite it writes first, a statement that
    /// changes nothing yet takes the lock for the whole file: the `BEGIN IMMEDIATE` its driver
    /// does not offer. Changes then take turns, as they do row by row on PostgreSQL. One that
    /// finds the file held waits for it, sleeping between tries, up to `sqliteBusyWait`
    /// milliseconds (the driver's own handler retries at once and without end), and is then
    /// refused: 503 with Retry-After (`AppErrorMiddleware`), nothing saved.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        return try await transaction { db in
            let sql = db.sql
            if sql.dialect.name != "postgresql" {
                try await waitWhenBusy(sql)
                // Any table will do; this one-row table is always there.
                try await sql.raw("UPDATE database_kind SET id = id WHERE 0").run()
            }
            return try await body(db)
        }
    }
}
