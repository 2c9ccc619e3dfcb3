import CAFCore
import Vapor

struct AuditAPIController {
    /// GET /api/v1/audit?childId= (or episodeId=): who has seen this child.
    func read(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let child = try await ChildAudit.child(
            childID: try? req.query.get(String.self, at: "childId"),
            episodeID: try? req.query.get(String.self, at: "episodeId"), on: req.db)
        let events = try await ChildAudit.read(child, by: signedIn, on: req.db)
        return try AuditDTO(events: events.map(AuditEventDTO.init)).json()
    }
}

extension AuditAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.audit.pattern, use: read)
    }
}
