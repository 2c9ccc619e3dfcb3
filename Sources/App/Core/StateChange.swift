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
}
