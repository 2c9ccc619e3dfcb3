import Fluent
import SQLKit
import Vapor

/// One page of a list that grows with an LA (a caseload, an LA's episodes, actions due):
/// 25 rows, as GOV.UK's pagination shows them, numbered from 1.
struct ListPage: Sendable, Equatable {
    static let size = 25
    /// The deepest page anyone may ask for (100,000 rows in): past it a filter finds what
    /// paging would not, and an offset that deep costs the database every row it skips.
    static let last = 4_000
    static let first = ListPage(number: 1)

    let number: Int

    var offset: Int { (number - 1) * Self.size }

    private init(number: Int) { self.number = number }

    /// The page a request's `page` query parameter names, the first when it names none; a
    /// 422 naming `page` when it is not a whole number from 1 to `last`.
    init(_ req: Request) throws {
        number =
            try req.wholeNumber("page", in: 1...Self.last, else: "Enter a page number from 1 to \(Self.last)") ?? 1
    }
}

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

extension Request {
    /// The assessment version a page's query names (`version`, `from`, `to`): nil when it names
    /// none; a 422 naming it unless it is a whole number from 1 to 1,000, as the API's
    /// document says. (Read leniently, a typo showed the latest version as if asked for.)
    func assessmentVersion(_ name: String) throws -> Int? {
        try wholeNumber(name, in: 1...1_000, else: "Enter the version as a whole number from 1 to 1000")
    }

    /// The query parameter `name` as a whole number within `range`: nil only when the query
    /// does not name it; otherwise a 422 naming it with `message` unless it is one, written in
    /// no more digits than the range's end (so reading it never traps). Named as something
    /// else (`?version[x]=2`) is refused too: a lenient read took that for absent.
    fileprivate func wholeNumber(_ name: String, in range: ClosedRange<Int>, else message: String) throws -> Int? {
        let named = (url.query ?? "").split(separator: "&").contains { pair in
            let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let decoded = key.removingPercentEncoding ?? key
            return decoded == name || decoded.hasPrefix(name + "[")
        }
        guard named else { return nil }
        guard let text = query[String.self, at: name], text.utf8.count <= String(range.upperBound).utf8.count,
            let number = Int(text), range.contains(number)
        else { throw AppError.invalid(field: name, message) }
        return number
    }
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
        (db as! any SQLDatabase).dialect.name == "postgresql"
            ? "\(column) = ANY(ARRAY(\(ids)))" : "\(column) IN (\(ids))"
    }
}
