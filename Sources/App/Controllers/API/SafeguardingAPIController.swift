import CAFCore
import Vapor

struct SafeguardingAPIController {
    /// POST /api/v1/children/{id}/pre-assessments
    func recordChecklist(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let body = try await req.decodeJSON(PreAssessmentRequest.self)
        let signedIn = try req.signedIn
        let checklist = try await PreAssessments.record(
            childID: childID, answers: body.answers, by: signedIn, keys: try req.secrets, on: req.db)
        let existing = checklist.$existingEpisode.id == nil ? nil : try await PreAssessments.openEpisode(of: childID, on: req.db)
        let shield = try await Shielding.shield(for: try await Child.live(childID, on: req.db), to: signedIn, on: req.db)
        return try PreAssessmentDTO(checklist, existing: existing, shield: shield, keys: try req.secrets).json(.created)
    }

    /// POST /api/v1/children/{id}/safeguarding-calls
    func recordCall(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let body = try await req.decodeJSON(SafeguardingCallRequest.self)
        let record = SafeguardingCallRecord(
            calledAt: body.calledAt ?? Date(), spokeTo: body.spokeTo, advice: body.advice, adviceNote: body.adviceNote,
            reference: body.reference ?? "")
        let signedIn = try req.signedIn
        let call = try await SafeguardingCalls.record(
            record, childID: childID, episodeID: body.episodeId, preAssessmentID: body.preAssessmentId, by: signedIn, on: req.db)
        return try SafeguardingCallDTO(try await SafeguardingCalls.read(call.id!, by: signedIn, on: req.db)).json(.created)
    }

    /// GET /api/v1/safeguarding-calls?open=true&page=2
    func list(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let openOnly = (try? req.query.get(Bool.self, at: "open")) ?? false
        let calls = try await SafeguardingCalls.worktray(
            for: signedIn, openOnly: openOnly, reading: .page(try ListPage(req)), on: req.db)
        return try SafeguardingCallListDTO(calls).json()
    }

    /// GET /api/v1/safeguarding-calls/{id}
    func read(req: Request) async throws -> Response {
        try SafeguardingCallDTO(try await SafeguardingCalls.read(try req.id("call"), by: try req.signedIn, on: req.db)).json()
    }

    /// POST /api/v1/safeguarding-calls/{id}/follow-up
    func followUp(req: Request) async throws -> Response {
        let id = try req.id("call")
        let body = try await req.decodeJSON(FollowUpRequest.self)
        let signedIn = try req.signedIn
        _ = try await SafeguardingCalls.recordFollowUp(id, sentAt: body.sentAt ?? Date(), by: signedIn, on: req.db)
        return try SafeguardingCallDTO(try await SafeguardingCalls.read(id, by: signedIn, on: req.db)).json()
    }
}

extension SafeguardingAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(APIURL.preAssessments(.pattern).pattern, use: recordChecklist)
        routes.post(APIURL.safeguardingCalls(.pattern).pattern, use: recordCall)
        routes.get(APIURL.calls.pattern, use: list)
        routes.get(APIURL.call(.pattern).pattern, use: read)
        routes.post(APIURL.callFollowUp(.pattern).pattern, use: followUp)
    }
}
