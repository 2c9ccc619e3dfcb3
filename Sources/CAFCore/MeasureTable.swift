import Foundation

/// Whole days between two moments, counted on the calendar in England: a call at 23:50 and a
/// follow-up at 00:10 the next morning are a day apart.
public enum CalendarDays {
    static let london = TimeZone(identifier: "Europe/London")!

    /// For calendar arithmetic in months and years.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        return calendar
    }()

    /// The number of the day a moment falls on in England, counted from 1970-01-01.
    static func number(of moment: Date) -> Int {
        let local = moment.timeIntervalSince1970 + Double(london.secondsFromGMT(for: moment))
        return Int((local / 86_400).rounded(.down))
    }

    public static func between(_ start: Date, _ end: Date) -> Int {
        number(of: end) - number(of: start)
    }

    /// The calendar day (YYYY-MM-DD) a moment falls on in England.
    public static func day(of moment: Date) -> String {
        CalendarDate.text(ofDayNumber: number(of: moment))
    }

    /// The moment a calendar day (YYYY-MM-DD) starts in England.
    public static func startOf(_ day: String) -> Date? {
        guard let date = CalendarDate.parse(day) else { return nil }
        return start(ofNumber: CalendarDate.dayNumber(year: date.year!, month: date.month!, day: date.day!))
    }

    /// The moment a calendar day ends in England, for "by their due date".
    public static func endOf(_ day: String) -> Date? {
        guard let date = CalendarDate.parse(day) else { return nil }
        return start(ofNumber: CalendarDate.dayNumber(year: date.year!, month: date.month!, day: date.day!) + 1)
    }

    /// Local midnight less the offset in force then; asked twice, as the offset depends on
    /// the moment it is asked for.
    static func start(ofNumber number: Int) -> Date {
        let midnight = Double(number) * 86_400
        let guess = midnight - Double(london.secondsFromGMT(for: Date(timeIntervalSince1970: midnight)))
        return Date(timeIntervalSince1970: midnight - Double(london.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
    }
}

/// The median and 90th percentile of some values, with the count they rest on. The median of
/// an even count is the mean of the middle two; the 90th percentile is the nearest rank (the
/// smallest value at least 90% of the values are at or below).
public struct Distribution: Equatable, Sendable {
    public let count: Int
    public let median: Double?
    public let p90: Double?

    public init(_ values: [Int]) {
        let sorted = values.sorted()
        count = sorted.count
        guard !sorted.isEmpty else {
            median = nil
            p90 = nil
            return
        }
        let middle = sorted.count / 2
        median =
            sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        p90 = Double(sorted[Int((0.9 * Double(sorted.count)).rounded(.up)) - 1])
    }
}

/// One measure as a table: what a dashboard draws, the API returns and the CSV holds.
public struct MeasureTable: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// Counts of records or people: what disclosure control hides when small.
        case count
        case days, percent
        /// Other figures: a median caseload, a sum of days.
        case number
    }

    public struct Column: Equatable, Sendable {
        public let title: String
        public let kind: Kind
        /// For a figure worked out from a count (a median, a share): that count's column.
        /// When the count is hidden, so is the figure.
        public let basis: Int?

        public init(_ title: String, _ kind: Kind, basis: Int? = nil) {
            self.title = title
            self.kind = kind
            self.basis = basis
        }
    }

    public enum Cell: Equatable, Sendable {
        case count(Int)
        case days(Double)
        case percent(Double)
        case number(Double)
        /// Hidden by disclosure control: shown as "<5" for a small count, "*" for the rest.
        case suppressed(small: Bool)
        /// Nothing to show, such as the median of no values.
        case empty

        /// What a page and a CSV show.
        public var text: String {
            switch self {
            case .count(let n): String(n)
            case .days(let d), .number(let d): d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d)
            case .percent(let p): String(format: "%.0f%%", p)
            case .suppressed(let small): small ? "<5" : "*"
            case .empty: ""
            }
        }

        /// The number behind the cell; nil when hidden or empty.
        public var value: Double? {
            switch self {
            case .count(let n): Double(n)
            case .days(let d), .percent(let d), .number(let d): d
            case .suppressed, .empty: nil
            }
        }

        public var count: Int? {
            if case .count(let n) = self { return n }
            return nil
        }
    }

    public struct Row: Equatable, Sendable {
        public let label: String
        public var cells: [Cell]
        /// The row that adds up the others ("All").
        public let isTotal: Bool

        public init(_ label: String, _ cells: [Cell], isTotal: Bool = false) {
            self.label = label
            self.cells = cells
            self.isTotal = isTotal
        }
    }

    public let measure: Measure
    /// What the rows are: "Agency type", "Local authority", "Closure reason"…
    public let rowHeading: String
    public let columns: [Column]
    public var rows: [Row]
    /// The count columns of a row are parts of one whole (attended, apologies, did not
    /// attend), so a row total is known and secondary suppression works across rows too.
    public let partsOfWhole: Bool
    /// Rows that add up within a table of subtotals (a subtotal row with its parts). Without
    /// any, each column adds up to its total row.
    public let subtotals: [[Int]]

    public init(
        _ measure: Measure, rowHeading: String, columns: [Column], rows: [Row], partsOfWhole: Bool = false,
        subtotals: [[Int]] = []
    ) {
        self.measure = measure
        self.rowHeading = rowHeading
        self.columns = columns
        self.rows = rows
        self.partsOfWhole = partsOfWhole
        self.subtotals = subtotals
    }

    /// A count as a cell, with the share of a whole beside it.
    public static func share(_ part: Int, of whole: Int) -> Cell {
        whole == 0 ? .empty : .percent(100 * Double(part) / Double(whole))
    }

    /// A distribution's cells: count, median, 90th percentile.
    public static func cells(_ distribution: Distribution) -> [Cell] {
        [
            .count(distribution.count), distribution.median.map(Cell.days) ?? .empty,
            distribution.p90.map(Cell.days) ?? .empty,
        ]
    }

    public static let distributionColumns = [
        Column("Count", .count), Column("Median days", .days, basis: 0), Column("90th percentile days", .days, basis: 0),
    ]
}

/// Disclosure control for anything shown outside the LA that owns the records: counts of 1
/// to 4 are hidden ("<5"), and wherever a total would then let a hidden count be worked out
/// (a column or a set of subtotalled rows, or a row whose counts are parts of one whole, with
/// exactly one hidden cell) the
/// smallest other non-zero count there is hidden too, until none is left alone. Figures
/// worked out from a hidden count (its median, its share) are hidden with it.
public enum Disclosure {
    public static func protect(_ table: MeasureTable) -> MeasureTable {
        let countColumns = table.columns.indices.filter { table.columns[$0].kind == .count }
        struct Position: Hashable {
            let row: Int
            let column: Int
        }
        func value(_ p: Position) -> Int { table.rows[p.row].cells[p.column].count ?? 0 }
        var small: Set<Position> = []
        for row in table.rows.indices {
            for column in countColumns where (1...4).contains(value(Position(row: row, column: column))) {
                small.insert(Position(row: row, column: column))
            }
        }
        var hidden = small
        let rowSets = table.subtotals.isEmpty ? [Array(table.rows.indices)] : table.subtotals
        var lines: [[Position]] = countColumns.flatMap { column in
            rowSets.map { rows in rows.map { Position(row: $0, column: column) } }
        }
        if table.partsOfWhole && countColumns.count > 1 {
            lines += table.rows.indices.map { row in countColumns.map { Position(row: row, column: $0) } }
        }
        var changed = true
        while changed {
            changed = false
            for line in lines where line.count(where: { hidden.contains($0) }) == 1 {
                // The smallest other non-zero count; a total only when nothing else will do.
                let others = line.filter { !hidden.contains($0) && value($0) > 0 }
                let pick =
                    others.filter { !table.rows[$0.row].isTotal }.min { value($0) < value($1) }
                    ?? others.min { value($0) < value($1) }
                if let pick {
                    hidden.insert(pick)
                    changed = true
                }
            }
        }
        var protected = table
        for row in table.rows.indices {
            for column in table.columns.indices {
                let position = Position(row: row, column: column)
                let basis = table.columns[column].basis.map { Position(row: row, column: $0) }
                if hidden.contains(position) || basis.map(hidden.contains) == true {
                    protected.rows[row].cells[column] = .suppressed(small: small.contains(position))
                }
            }
        }
        return protected
    }
}
