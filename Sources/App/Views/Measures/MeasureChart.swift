import CAFCore
import Plot

/// A measure drawn on the server as an accessible SVG bar chart: a title and description
/// for screen readers, every bar labelled with its figure (no meaning in colour alone), and
/// the table beside it as the data-table alternative.
enum MeasureChart {
    /// The figure a chart shows: the first median or share, or else the first count.
    static func column(of table: MeasureTable) -> Int {
        table.columns.firstIndex { $0.kind != .count } ?? 0
    }

    static func svg(_ table: MeasureTable) -> Node<HTML.BodyContext> {
        let column = column(of: table)
        let rows = table.rows.filter { !$0.isTotal }
        let largest = rows.compactMap { $0.cells[column].value }.max() ?? 0
        let id = "chart-\(table.measure.rawValue)"
        let rowHeight = 28
        let height = rows.count * rowHeight + 8
        let labelWidth = 300
        let barWidth = 260.0
        var svg = """
            <svg class="ecaf-chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 640 \(height)" \
            aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\(escape(table.measure.title)): \
            \(escape(table.columns[column].title)) by \(escape(table.rowHeading.lowercased()))</title>\
            <desc id="\(id)-desc">\(escape(description(table, column: column)))</desc>
            """
        for (index, row) in rows.enumerated() {
            let y = index * rowHeight + 4
            let cell = row.cells[column]
            let width = cell.value.map { largest > 0 ? barWidth * $0 / largest : 0 } ?? 0
            svg += """
                <text x="\(labelWidth - 8)" y="\(y + 18)" text-anchor="end" font-size="14" fill="#0b0c0c">\
                \(escape(String(row.label.prefix(40))))</text>\
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(String(format: "%.1f", width))" height="\(rowHeight - 10)" \
                fill="#1d70b8"/><text x="\(labelWidth + Int(width) + 6)" y="\(y + 18)" font-size="14" fill="#0b0c0c">\
                \(escape(cell.text.isEmpty ? "none" : cell.text))</text>
                """
        }
        return .raw(svg + "</svg>")
    }

    /// The chart in words, for those who cannot see it.
    static func description(_ table: MeasureTable, column: Int) -> String {
        let rows = table.rows.filter { !$0.isTotal }
        guard !rows.isEmpty else { return "No figures for this period." }
        return rows.map { "\($0.label): \($0.cells[column].text.isEmpty ? "none" : $0.cells[column].text)" }
            .joined(separator: "; ") + ". The table below has every figure."
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
