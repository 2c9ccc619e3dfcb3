import Fluent
import SQLKit

extension Database {
    /// This database as SQL. eCAF runs only on PostgreSQL and SQLite, whose Fluent drivers are
    /// SQL databases, so the cast holds; it is made here once rather than at every query.
    package var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("eCAF runs only on SQL databases, not \(type(of: self))")
        }
        return sql
    }
}
