import CAFCore
import Vapor

/// Asking to join a team, and deciding on it, as pages.
struct AccessRequestController {
    func request(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let reason = FormFields(req)["reason"]
        do {
            _ = try await AccessRequests.request(id, reason: reason, by: try req.signedIn, on: req.db)
            return JoinTeamPage(episodeID: id, message: "", sent: true).render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty {
            return JoinTeamPage(episodeID: id, message: "", reason: reason, problems: error.problems)
                .render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func show(req: Request) async throws -> Response {
        try await page(req, problems: []).render(PageContext(req)).response()
    }

    func decide(req: Request) async throws -> Response {
        let form = FormFields(req)
        let id = try req.id("request")
        do {
            guard form["decision"] == "granted" || form["decision"] == "refused" else {
                throw AppError.invalid(field: "decision", "Choose grant or refuse")
            }
            _ = try await AccessRequests.decide(
                id, grant: form["decision"] == "granted", note: form["note"], by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.accessRequest(id).path)
        } catch let error as AppError where !error.problems.isEmpty {
            return try await page(req, problems: error.problems).render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    private func page(_ req: Request, problems: [FieldProblem]) async throws -> AccessRequestPage {
        let (request, authorised) = try await AccessRequests.find(try req.id("request"), by: try req.signedIn, on: req.db)
        return AccessRequestPage(request: request, authorised: authorised, problems: problems)
    }

    func breakGlass(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let reason = FormFields(req)["breakGlassReason"]
        do {
            _ = try await BreakGlass.take(id, reason: reason, by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.episode(id).path)
        } catch let error as AppError where !error.problems.isEmpty {
            return JoinTeamPage(
                episodeID: id, message: "", breakGlassReason: reason,
                problems: error.problems.map { FieldProblem(field: "breakGlassReason", message: $0.message) }
            ).render(PageContext(req)).response(.unprocessableEntity)
        }
    }
}

extension AccessRequestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(SiteURL.requestAccess(.pattern).pattern, use: request)
        routes.get(SiteURL.accessRequest(.pattern).pattern, use: show)
        routes.post(SiteURL.accessRequest(.pattern).pattern, use: decide)
        routes.post(SiteURL.takeBreakGlass(.pattern).pattern, use: breakGlass)
        let grants = EmergencyAccessController<BreakGlassGrant>()
        routes.get(SiteURL.breakGlassGrant(.pattern).pattern, use: grants.show)
        routes.post(SiteURL.breakGlassGrant(.pattern).pattern, use: grants.review)
    }
}
