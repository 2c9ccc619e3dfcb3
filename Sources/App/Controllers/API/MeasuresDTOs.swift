import CAFCore
import Foundation

// The JSON API's shapes for the measures. Fluent
// models never leave the App layer as JSON: each response is built from them here, so the
// wire format changes only on purpose.

/// Measures for a scope and period; counts under 5 show as "<5" when `disclosureControlled`.
struct MeasuresDTO: Encodable {
    let from: String
    let to: String
    let localAuthorityId: UUID?
    let agencyType: AgencyType?
    let organisationId: UUID?
    let disclosureControlled: Bool
    let tables: [MeasureTableDTO]

    init(_ report: MeasureReports.Report) {
        from = report.from
        to = report.to
        localAuthorityId = report.scope.localAuthorityID
        agencyType = report.scope.agencyType
        organisationId = report.scope.organisationID
        disclosureControlled = report.disclosureControlled
        tables = report.tables.map(MeasureTableDTO.init)
    }
}

struct MeasureTableDTO: Encodable {
    struct Column: Encodable {
        let title: String
        let kind: String
    }

    struct Cell: Encodable {
        /// Null when hidden or empty.
        let value: Double?
        /// As shown: "12", "40%", "<5" for a hidden small count, "*" for a hidden other cell.
        let text: String
    }

    struct Row: Encodable {
        let label: String
        let total: Bool
        let cells: [Cell]
    }

    let measure: String
    let family: String
    let title: String
    let explanation: String
    let rowHeading: String
    let columns: [Column]
    let rows: [Row]

    init(_ table: MeasureTable) {
        measure = table.measure.rawValue
        family = table.measure.family.rawValue
        title = table.measure.title
        explanation = table.measure.explanation
        rowHeading = table.rowHeading
        columns = table.columns.map { Column(title: $0.title, kind: $0.kind.rawValue) }
        rows = table.rows.map { row in
            Row(label: row.label, total: row.isTotal, cells: row.cells.map { Cell(value: $0.value, text: $0.text) })
        }
    }
}
