import CAFCore
import Fluent
import Vapor

/// Asking to join a team, and the holders' decision. Granting shares the episode, so it
/// must be within the family's consent like any share.
enum AccessRequests {
    static func request(_ episodeID: UUID, reason: String, by signedIn: SignedIn, on db: any Database) async throws
        -> AccessRequest
    {
        let authorised = try await Access.episode(episodeID, .requestAccess, by: signedIn, on: db)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty, why.count <= 2_000 else {
            throw AppError.invalid(field: "reason", "Say in a sentence or two why you need to join the team")
        }
        return try await db.writeTransaction { db in
            // Asked twice at once, one request: the second finds the first.
            try await StateChange.lock(Episode.schema, id: episodeID, on: db)
            if let pending = try await AccessRequest.query(on: db).filter(\.$episode.$id == episodeID)
                .filter(\.$requester.$id == signedIn.id).filter(\.$status == .pending).first()
            {
                return pending
            }
            let request = AccessRequest(episodeID: episodeID, requesterID: signedIn.id, reason: why)
            try await request.create(on: db)
            try await Audit.record(on: db, by: signedIn, .requestAccess, child: authorised.child.id, episode: episodeID)
            return request
        }
    }

    static func decide(_ requestID: UUID, grant: Bool, note: String, by signedIn: SignedIn, on db: any Database) async throws
        -> AccessRequest
    {
        let query = AccessRequest.query(on: db).filter(\.$id == requestID).with(\.$requester) { $0.with(\.$organisation) }
        guard let request = try await query.first() else { throw AppError.notFound("access request") }
        let authorised = try await Access.episode(request.$episode.id, .decideAccessRequest, by: signedIn, on: db)
        let alreadyDecided = AppError(
            status: .conflict, code: "request-decided", message: "This request has already been decided")
        guard request.status == .pending else { throw alreadyDecided }
        if grant {
            let share = AccessPolicy.decide(
                signedIn.actor, .share(with: request.requester.organisation?.agencyType), Access.facts(of: authorised))
            guard share.isAllowed else {
                throw AppError.invalid(
                    field: "decision", "The family’s consent does not cover sharing with \(request.requester.name)’s service")
            }
        }
        return try await db.writeTransaction { db in
            // Held first: a grant made as consent is withdrawn or the episode closes comes wholly
            // before it or is refused.
            try await StateChange.requireOpen(authorised.id, on: db)
            request.status = grant ? .granted : .refused
            request.$decidedBy.id = signedIn.id
            request.decidedAt = Date()
            request.decisionNote = note
            // Of decisions at once, one stands.
            try await StateChange.apply(
                """
                status = \(bind: request.status.rawValue), decided_by_id = \(bind: signedIn.id),
                decided_at = \(bind: request.decidedAt), decision_note = \(bind: note)
                """, to: AccessRequest.schema, id: requestID,
                while: "status = \(bind: AccessRequest.Status.pending.rawValue)", or: alreadyDecided, on: db)
            if grant {
                try await StateChange.changeTeam(
                    of: authorised.id, basedOn: authorised.episode.teamVersion, by: signedIn.id, on: db)
                try await EpisodeShare(
                    episodeID: authorised.id, practitionerID: request.$requester.id, sharedByID: signedIn.id, sharedAt: Date()
                ).create(on: db)
            }
            try await Audit.record(
                on: db, by: signedIn, .decideAccessRequest, child: authorised.child.id, episode: authorised.id,
                detail: "requester=\(Audit.typed(request.requester.email)) decision=\(request.status.rawValue)")
            return request
        }
    }

    /// One request with its episode, for those who may decide it.
    static func find(_ id: UUID, by signedIn: SignedIn, on db: any Database) async throws -> (AccessRequest, AuthorisedEpisode) {
        let query = AccessRequest.query(on: db).filter(\.$id == id).with(\.$requester) { $0.with(\.$organisation) }
        guard let request = try await query.first() else { throw AppError.notFound("access request") }
        let authorised = try await Access.episode(request.$episode.id, .decideAccessRequest, by: signedIn, on: db)
        return (request, authorised)
    }

    /// Pending requests this person may decide: on episodes they started or lead, and for
    /// coordinators every episode of their LA.
    /// Requests this person may decide; the read, naming each child shown, is audited.
    static func pending(for signedIn: SignedIn, on db: any Database) async throws -> [AccessRequest] {
        let requests = try await AccessRequest.query(on: db)
            .join(Episode.self, on: \AccessRequest.$episode.$id == \Episode.$id)
            .filter(\.$status == .pending)
            .group(.or) { group in
                group.filter(Episode.self, \.$author.$id == signedIn.id).filter(
                    Episode.self, \.$leadProfessional.$id == signedIn.id)
                if let la = AccessPolicy.coordinatedAuthority(signedIn.actor) {
                    group.filter(Episode.self, \.$localAuthority.$id == la)
                }
            }
            .fields(for: AccessRequest.self)
            .with(\.$episode) { $0.with(\.$child) }.with(\.$requester) { $0.with(\.$organisation) }
            .sort(\.$requestedAt).all()
        try await Audit.queueRead("access-request", children: requests.map(\.episode.$child.id), by: signedIn, on: db)
        return requests
    }
}
