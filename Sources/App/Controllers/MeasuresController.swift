import CAFCore
import Vapor

/// The measures dashboard and its CSV downloads.
struct MeasuresController {
    func show(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        var page = MeasuresPage(filters: .init(req))
        do {
            page.report = try await MeasureReports.report(Measure.allCases, filters: page.filters, by: signedIn, on: req.db)
        } catch let error as AppError where !error.problems.isEmpty {
            page.problems = error.problems
        }
        try await page.readScope(for: signedIn, on: req.db)
        return page.render(PageContext(req)).response(page.problems.isEmpty ? .ok : .unprocessableEntity)
    }

    /// GET /measures/csv?measure=…: one table, as shown on the dashboard.
    func csv(req: Request) async throws -> Response {
        guard let measure = (try? req.query.get(String.self, at: "measure")).flatMap(Measure.init) else {
            throw AppError.notFound("measure")
        }
        let report = try await MeasureReports.report([measure], filters: .init(req), by: try req.signedIn, on: req.db)
        let table = report.tables[0]
        var lines = [([table.rowHeading] + table.columns.map(\.title)).map(Self.field).joined(separator: ",")]
        lines += table.rows.map { row in ([row.label] + row.cells.map(\.text)).map(Self.field).joined(separator: ",") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"\(measure.rawValue)-\(report.from)-to-\(report.to).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: lines.joined(separator: "\r\n") + "\r\n"))
    }

    /// RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it.
    static func field(_ text: String) -> String {
        let safe = ["=", "+", "-", "@"].contains(where: text.hasPrefix) && Double(text) == nil ? "'" + text : text
        return safe.contains(where: { ",\"\r\n".contains($0) })
            ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
    }
}

extension MeasuresController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.measures.pattern, use: show)
        routes.get(SiteURL.measuresCSV.pattern, use: csv)
    }
}
