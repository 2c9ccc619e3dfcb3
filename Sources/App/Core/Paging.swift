import Fluent
import SQLKit

/// Where a page stands in its list, whatever its rows are.
protocol PageOfList {
    /// How many rows the whole list holds; for a glimpse, at least this many.
    var total: Int { get }
    var page: ListPage { get }
    /// The rows on this page.
    var count: Int { get }
}

extension PageOfList {
    var isEmpty: Bool { count == 0 }
    var pageCount: Int { max(1, (total + ListPage.size - 1) / ListPage.size) }
    /// More rows than the first page shows: a worktray section links to the whole list.
    var isPartial: Bool { total > ListPage.size }
}

/// The rows of one page of a list, and how many the whole list holds.
struct Paged<Row>: PageOfList {
    let rows: [Row]
    let total: Int
    let page: ListPage

    var count: Int { rows.count }

    func map<T>(_ transform: (Row) throws -> T) rethrows -> Paged<T> {
        Paged<T>(rows: try rows.map(transform), total: total, page: page)
    }
}

/// How much of a list to read: a page and the count of all of it, or only a glimpse of the
/// first page, which knows whether more follow but not how many (the worktray, where
/// counting a national-sized caseload cost as much as reading it: issue 16).
enum ListRead: Sendable, Equatable {
    case page(ListPage)
    case glimpse
}

extension QueryBuilder {
    /// The rows `read` asks for, in the query's order.
    func paged(_ read: ListRead) async throws -> Paged<Model> {
        switch read {
        case .glimpse:
            // One row past the page says there are more; its total is then "at least 26".
            let rows = try await copy().limit(ListPage.size + 1).all()
            return Paged(rows: Array(rows.prefix(ListPage.size)), total: rows.count, page: .first)
        case .page(let page):
            let total = try await copy().count()
            guard total > page.offset else { return Paged(rows: [], total: total, page: page) }
            let rows = try await copy().range(page.offset..<(page.offset + ListPage.size)).all()
            return Paged(rows: rows, total: total, page: page)
        }
    }
}

extension SQLQueryString {
    /// `column` is one of the ids `ids` selects. On PostgreSQL this is `= ANY(ARRAY(…))`: the
    /// ids are found once and each looked up by index, where `IN (…)` led the planner to scan
    /// the whole table to join them (issue 16). SQLite runs `IN (…)` that way already.
    static func id(_ column: SQLQueryString, among ids: SQLQueryString, on db: any Database) -> SQLQueryString {
        db.sql.dialect.name == "postgresql"
            ? "\(column) = ANY(ARRAY(\(ids)))" : "\(column) IN (\(ids))"
    }
}
