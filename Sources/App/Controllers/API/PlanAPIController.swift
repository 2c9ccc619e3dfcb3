import CAFCore
import Vapor

struct PlanAPIController {
    /// GET /api/v1/episodes/{id}/actions
    func plan(req: Request) async throws -> Response {
        let (authorised, _) = try await Episodes.read(try req.id("episode"), by: try req.signedIn, on: req.db)
        return try await Self.plan(authorised.episode, on: req)
    }

    /// POST /api/v1/episodes/{id}/actions
    func add(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(ActionRequest.self)
        return try ActionDTO(try await ActionPlans.add(body.planned, to: id, by: try req.signedIn, on: req.db)).json(.created)
    }

    /// PATCH /api/v1/episodes/{id}/actions/{actionId}
    func update(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let actionID = try req.id("action", parameter: "actionId")
        let body = try await req.decodeJSON(ActionUpdateRequest.self)
        let action = try await ActionPlans.update(
            actionID, of: id, status: body.status, outcomeNote: body.outcomeNote ?? "", basedOn: try req.recordVersion(),
            by: try req.signedIn, on: req.db)
        let response = try ActionDTO(action).json()
        return response.tagged(action.version)
    }

    /// PUT /api/v1/episodes/{id}/plan-review
    func setReview(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(PlanReviewRequest.self)
        let signedIn = try req.signedIn
        try await ActionPlans.setReview(of: id, on: body.reviewOn, basedOn: try req.recordVersion(), by: signedIn, on: req.db)
        let (authorised, _) = try await Episodes.read(id, by: signedIn, on: req.db)
        return try await Self.plan(authorised.episode, on: req)
    }

    /// The plan, with the review date's version as its ETag.
    private static func plan(_ episode: Episode, on req: Request) async throws -> Response {
        let actions = try await ActionPlans.actions(of: episode.id!, on: req.db)
        let response = try ActionPlanDTO(
            episodeId: episode.id!, reviewOn: episode.planReviewOn, reviewVersion: episode.planReviewVersion,
            actions: actions.map(ActionDTO.init)
        ).json()
        return response.tagged(episode.planReviewVersion)
    }
}

extension PlanAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.actions(.pattern).pattern, use: plan)
        routes.post(APIURL.actions(.pattern).pattern, use: add)
        routes.patch(APIURL.action(episode: .pattern, action: .pattern).pattern, use: update)
        routes.put(APIURL.planReview(.pattern).pattern, use: setReview)
    }
}
