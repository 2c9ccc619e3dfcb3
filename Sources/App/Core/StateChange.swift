import Fluent
import SQLKit

/// A change of state checked by the statement that makes it: "still a draft", "still
/// pending", "still open" read first and written later lets two requests at once both pass.
/// One conditional UPDATE instead, inside the caller's transaction: of changes at once,
/// exactly one finds the row still in its state; the others are refused.
enum StateChange {
    /// Sets `assignments` on row `id` of `table` only while its `column` is still `state`,
    /// or throws `refusal`.
    static func apply(
        _ assignments: SQLQueryString, to table: String, id: UUID, while column: String, is state: String,
        or refusal: AppError, on db: any Database
    ) async throws {
        let changed = try await (db as! any SQLDatabase).raw(
            """
            UPDATE \(ident: table) SET \(assignments)
            WHERE id = \(bind: id) AND \(ident: column) = \(bind: state) RETURNING id
            """
        ).all()
        guard !changed.isEmpty else { throw refusal }
    }
}
