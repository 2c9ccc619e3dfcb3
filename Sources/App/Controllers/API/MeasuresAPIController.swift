import CAFCore
import Vapor

struct MeasuresAPIController {
    /// GET /api/v1/measures?from=&to=&localAuthorityId=&agencyType=&organisationId=
    func all(req: Request) async throws -> Response {
        try MeasuresDTO(try await report(Measure.allCases, req)).json()
    }

    /// GET /api/v1/measures/{measure}?from=&to=&…
    func one(req: Request) async throws -> Response {
        guard let measure = req.parameters.get("measure").flatMap(Measure.init) else { throw AppError.notFound("measure") }
        return try MeasuresDTO(try await report([measure], req)).json()
    }

    private func report(_ measures: [Measure], _ req: Request) async throws -> MeasureReports.Report {
        try await MeasureReports.report(measures, filters: .init(req), by: try req.signedIn, on: req.db)
    }
}

extension MeasureReports.Filters {
    /// The filters from a query string, as the dashboard's form and the API send them.
    init(_ req: Request) {
        func parameter(_ name: String) -> String {
            (try? req.query.get(String.self, at: name))?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        self.init(
            from: parameter("from"), to: parameter("to"), localAuthorityID: parameter("localAuthorityId"),
            agencyType: parameter("agencyType"), organisationID: parameter("organisationId"))
    }
}

extension MeasuresAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.measures.pattern, use: all)
        routes.get(APIURL.measure(nil).pattern, use: one)
    }
}
