import CAFCore
import Vapor

extension EpisodeDTO {
    /// The episode with its consent history, as a response.
    static func response(_ authorised: AuthorisedEpisode, _ assessment: Assessment, status: HTTPResponseStatus = .ok)
        throws -> Response
    {
        try EpisodeDTO(authorised, assessment: assessment).json(status)
    }
}

extension AssessmentDTO {
    /// The assessment as a response, its revisions as the `ETag` a save names in `If-Match`.
    static func response(
        _ assessment: Assessment, shield: Shield, keys: SecretKeys, status: HTTPResponseStatus = .ok
    ) throws -> Response {
        let response = try AssessmentDTO(assessment, shield: shield, keys: keys).json(status)
        response.headers.replaceOrAdd(name: .eTag, value: assessment.revisions.etag)
        return response
    }
}

struct EpisodesAPIController {
    /// GET /api/v1/episodes?mine=true&page=2
    func list(req: Request) async throws -> Response {
        // Read as text: Vapor decodes an absent Bool as false, which gave a coordinator their
        // LA's list where the document promises their own.
        let mine = req.query[String.self, at: "mine"] != "false"
        let episodes = try await Episodes.list(
            mine ? .mine : .localAuthority, reading: .page(try ListPage(req)), by: try req.signedIn, on: req.db)
        return try EpisodeListDTO(episodes).json()
    }

    /// GET /api/v1/episodes/{id}
    func read(req: Request) async throws -> Response {
        let (authorised, assessment) = try await Episodes.read(try req.id("episode"), by: try req.signedIn, on: req.db)
        return try EpisodeDTO.response(authorised, assessment)
    }

    /// POST /api/v1/episodes/{id}/consents: given again with a new scope, withdrawn, or overridden.
    func changeConsent(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(ConsentChangeRequest.self)
        let (consent, teamVersion) = try await Episodes.changeConsent(
            id, body.change, basedOn: try req.recordVersion(), by: try req.signedIn, on: req.db)
        return try ConsentDTO(consent).json(.created).tagged(teamVersion)
    }

    /// GET /api/v1/episodes/{id}/assessment
    func assessment(req: Request) async throws -> Response {
        let (authorised, assessment) = try await Episodes.assessment(
            of: try req.id("episode"), version: try req.assessmentVersion("version"), by: try req.signedIn, on: req.db)
        return try AssessmentDTO.response(assessment, shield: authorised.shield, keys: try req.secrets)
    }

    /// PUT /api/v1/episodes/{id}/assessment: replaces the draft's content, on the revisions
    /// `If-Match` names.
    func saveAssessment(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let content = try await req.decodeJSON(AssessmentContent.self)
        let (authorised, saved) = try await Episodes.saveAssessment(
            of: id, content: content, basedOn: try req.assessmentRevisions(), complete: false, by: try req.signedIn,
            keys: try req.secrets, on: req.db)
        return try AssessmentDTO.response(saved, shield: authorised.shield, keys: try req.secrets)
    }

    /// PATCH /api/v1/episodes/{id}/assessment/parts/{part}: one part of the draft, on the
    /// revision `If-Match` names; every other part stays as it is saved.
    func saveAssessmentPart(req: Request) async throws -> Response {
        let id = try req.id("episode")
        guard let part = AssessmentPart(rawValue: req.parameters.get("part") ?? "") else {
            throw AppError.notFound("part of the assessment")
        }
        let content = try await req.decodeJSON(AssessmentContent.self)
        let (authorised, saved) = try await Episodes.saveAssessment(
            of: id, content: content, only: part, basedOn: try req.assessmentRevisions(), complete: false, by: try req.signedIn,
            keys: try req.secrets, on: req.db)
        return try AssessmentDTO.response(saved, shield: authorised.shield, keys: try req.secrets)
    }

    /// POST /api/v1/episodes/{id}/assessment/complete: completes the saved draft.
    func completeAssessment(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let signedIn = try req.signedIn
        let (authorised, saved) = try await Episodes.complete(of: id, by: signedIn, keys: try req.secrets, on: req.db)
        return try AssessmentDTO.response(saved, shield: authorised.shield, keys: try req.secrets)
    }

    /// GET /api/v1/episodes/{id}/assessments
    func versions(req: Request) async throws -> Response {
        let versions = try await Episodes.versions(of: try req.id("episode"), by: try req.signedIn, on: req.db)
        return try AssessmentVersionsDTO(versions: versions.map(AssessmentVersionDTO.init)).json()
    }

    /// POST /api/v1/episodes/{id}/assessments: start a review (a new version from the last).
    func startReview(req: Request) async throws -> Response {
        let (authorised, review) = try await Episodes.startReview(
            of: try req.id("episode"), by: try req.signedIn, keys: try req.secrets, on: req.db)
        return try AssessmentDTO.response(review, shield: authorised.shield, keys: try req.secrets, status: .created)
    }

    /// GET /api/v1/episodes/{id}/comparison?from=&to=
    func compare(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let (_, before, after) = try await Episodes.compare(
            id, from: try req.assessmentVersion("from"), to: try req.assessmentVersion("to"), by: try req.signedIn,
            on: req.db)
        return try ComparisonDTO(episodeID: id, from: before, to: after, keys: try req.secrets).json()
    }

    /// POST /api/v1/episodes/{id}/close
    func close(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(CloseRequest.self)
        let signedIn = try req.signedIn
        _ = try await Closures.close(id, EpisodeClosure(reason: body.reason, note: body.note ?? ""), by: signedIn, on: req.db)
        let (authorised, assessment) = try await Episodes.read(id, by: signedIn, on: req.db)
        return try EpisodeDTO.response(authorised, assessment)
    }

    /// POST /api/v1/episodes/{id}/reopen
    func reopen(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(ReopenRequest.self)
        let signedIn = try req.signedIn
        _ = try await Closures.reopen(id, reason: body.reason, by: signedIn, on: req.db)
        let (authorised, assessment) = try await Episodes.read(id, by: signedIn, on: req.db)
        return try EpisodeDTO.response(authorised, assessment)
    }

    /// POST /api/v1/episodes/{id}/time-entries: a call, visit, meeting or admin, in minutes.
    func recordTime(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(TimeEntryRequest.self)
        let record = try await TimeSpent.record(
            TimeEntry(
                activity: body.activity.flatMap(Activity.init), minutes: body.minutes, on: body.on ?? CalendarDate.iso(Date())),
            on: try req.id("episode"), by: try req.signedIn, on: req.db)
        return try TimeEntryDTO(record).json(.created)
    }

    /// GET /api/v1/referrals: step-ups awaiting a decision, for the LA's safeguarding staff.
    func referrals(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        try await Access.requireIndex(.viewReviewQueue, by: signedIn, on: req.db)
        return try ReferralListDTO(
            referrals: try await Closures.pendingReferrals(for: signedIn, on: req.db).map(ReferralDTO.init)
        ).json()
    }

    /// POST /api/v1/referrals/{id}/decision
    func decideReferral(req: Request) async throws -> Response {
        let id = try req.id("referral")
        let body = try await req.decodeJSON(ReferralDecisionRequest.self)
        let referral = try await Closures.decide(id, body.decision, reason: body.reason ?? "", by: try req.signedIn, on: req.db)
        return try ReferralDTO(referral).json()
    }

    /// POST /api/v1/episodes/{id}/access-requests: ask to join the team.
    func requestAccess(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(AccessRequestRequest.self)
        let request = try await AccessRequests.request(id, reason: body.reason, by: try req.signedIn, on: req.db)
        return try AccessRequestDTO(request, shield: .open).json(.created)  // the requester's own details
    }

    /// GET /api/v1/access-requests: requests this person may decide.
    func accessRequests(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        try await Access.requireIndex(.viewReviewQueue, by: signedIn, on: req.db)
        let requests = try await AccessRequests.pending(for: signedIn, on: req.db)
        let shields = try await Shielding.shields(for: requests.map(\.episode.child), to: signedIn, on: req.db)
        return try AccessRequestListDTO(
            requests: requests.map { AccessRequestDTO($0, shield: shields[$0.episode.$child.id] ?? .closed) }
        ).json()
    }

    /// POST /api/v1/access-requests/{id}/decision
    func decideAccessRequest(req: Request) async throws -> Response {
        let id = try req.id("request")
        let body = try await req.decodeJSON(AccessRequestDecisionRequest.self)
        let signedIn = try req.signedIn
        let request = try await AccessRequests.decide(
            id, grant: body.decision == .granted, note: body.note ?? "", by: signedIn, on: req.db)
        let shield = try await Shielding.shield(forEpisode: request.$episode.id, to: signedIn, on: req.db)
        return try AccessRequestDTO(request, shield: shield).json()
    }

    /// POST /api/v1/episodes/{id}/break-glass
    func breakGlass(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(BreakGlassRequest.self)
        let grant = try await BreakGlass.take(id, reason: body.reason, by: try req.signedIn, on: req.db)
        return try EmergencyAccessDTO(try await EmergencyAccessReviews.loaded(BreakGlassGrant.self, grant.id!, on: req.db)).json(
            .created)
    }

    /// GET /api/v1/break-glass: the coordinator's review queue.
    func breakGlassQueue(req: Request) async throws -> Response {
        let grants = try await EmergencyAccessReviews.queue(
            BreakGlassGrant.self, for: try req.signedIn, refusingOthers: true, on: req.db)
        return try EmergencyAccessQueueDTO(items: grants.map(EmergencyAccessDTO.init)).json()
    }

    /// POST /api/v1/break-glass/{id}/review
    func reviewBreakGlass(req: Request) async throws -> Response {
        let id = try req.id("grant")
        let body = try await req.decodeJSON(BreakGlassReviewRequest.self)
        let grant = try await EmergencyAccessReviews.review(
            BreakGlassGrant.self, id, note: body.note, by: try req.signedIn, on: req.db)
        return try EmergencyAccessDTO(grant).json()
    }

    /// POST /api/v1/episodes/{id}/shares
    func share(req: Request) async throws -> Response {
        let id = try req.id("episode")
        let body = try await req.decodeJSON(ShareRequest.self)
        let signedIn = try req.signedIn
        let (share, practitioner, teamVersion) = try await Episodes.share(
            id, withEmail: body.practitionerEmail, basedOn: try req.recordVersion(), by: signedIn, on: req.db)
        let shield = try await Shielding.shield(forEpisode: id, to: signedIn, on: req.db)
        return try ShareDTO(episodeId: id, practitioner: ContactDTO(practitioner, shield: shield), sharedAt: share.sharedAt)
            .json(.created).tagged(teamVersion)
    }
}

extension EpisodesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.episodes.pattern, use: list)
        routes.get(APIURL.episode(.pattern).pattern, use: read)
        routes.get(APIURL.assessment(.pattern).pattern, use: assessment)
        routes.put(APIURL.assessment(.pattern).pattern, use: saveAssessment)
        routes.patch(APIURL.assessmentPart(.pattern, nil).pattern, use: saveAssessmentPart)
        routes.post(APIURL.completeAssessment(.pattern).pattern, use: completeAssessment)
        routes.get(APIURL.assessments(.pattern).pattern, use: versions)
        routes.post(APIURL.assessments(.pattern).pattern, use: startReview)
        routes.get(APIURL.comparison(.pattern).pattern, use: compare)
        routes.post(APIURL.shares(.pattern).pattern, use: share)
        routes.post(APIURL.consents(.pattern).pattern, use: changeConsent)
        routes.post(APIURL.close(.pattern).pattern, use: close)
        routes.post(APIURL.reopen(.pattern).pattern, use: reopen)
        routes.post(APIURL.timeEntries(.pattern).pattern, use: recordTime)
        routes.get(APIURL.referrals.pattern, use: referrals)
        routes.post(APIURL.referralDecision(.pattern).pattern, use: decideReferral)
        routes.post(APIURL.episodeAccessRequests(.pattern).pattern, use: requestAccess)
        routes.get(APIURL.accessRequests.pattern, use: accessRequests)
        routes.post(APIURL.accessRequestDecision(.pattern).pattern, use: decideAccessRequest)
        routes.post(APIURL.episodeBreakGlass(.pattern).pattern, use: breakGlass)
        routes.get(APIURL.breakGlassQueue.pattern, use: breakGlassQueue)
        routes.post(APIURL.breakGlassReview(.pattern).pattern, use: reviewBreakGlass)
    }
}
