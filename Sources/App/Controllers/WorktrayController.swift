import CAFCore
import Fluent
import Vapor

struct WorktrayController {
    func show(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let reach = signedIn.reach
        if !reach.usesIndex, reach.administers { return req.redirect(to: SiteURL.admin.path) }
        guard reach.usesIndex else {
            if reach.seesMeasures { return req.redirect(to: SiteURL.measures.path) }
            return ErrorPage(
                status: .ok,
                message:
                    "Your role (\(signedIn.practitioner.roles.map(\.title).sorted().joined(separator: ", "))) does not include children’s records."
            ).render(PageContext(req)).response()
        }
        let mine = try await Episodes.list(mine: true, by: signedIn, on: req.db)
        let coordinated = reach.coordinates
        var all: [Episode] = []
        var needingALead: [Episode] = []
        if let coordinated {
            all = try await Episodes.list(mine: false, by: signedIn, on: req.db)
            needingALead = try await Teams.needingALead(in: coordinated, on: req.db)
        }
        let statuses = try await latestStatuses(of: (mine + all).compactMap(\.id), on: req.db)
        let calls = try await SafeguardingCalls.worktray(for: signedIn, openOnly: false, on: req.db)
        let meetings = try await Teams.meetingsToAttend(for: signedIn, on: req.db)
        let requests = try await AccessRequests.pending(for: signedIn, on: req.db)
        let children = meetings.map(\.episode.child) + requests.map(\.episode.child)
        return WorktrayPage(
            signedIn: signedIn,
            mine: mine.map { .init(episode: $0, assessmentStatus: statuses[$0.id!]) },
            localAuthority: all.map { .init(episode: $0, assessmentStatus: statuses[$0.id!]) },
            followUps: calls.filter { $0.followUpSentAt == nil },
            coordinates: coordinated != nil,
            takesSafeguardingCalls: reach.safeguards != nil,
            callsToLA: reach.safeguards != nil ? calls : [],
            needingALead: needingALead,
            actionsDue: try await ActionPlans.due(for: signedIn, on: req.db),
            reviewsDue: try await ActionPlans.reviewsDue(for: signedIn, on: req.db),
            referrals: try await Closures.pendingReferrals(for: signedIn, on: req.db),
            meetings: meetings,
            shields: try await Shielding.shields(for: children, to: signedIn, on: req.db),
            accessRequests: requests,
            breakGlass: try await EmergencyAccessReviews.queue(BreakGlassGrant.self, for: signedIn, on: req.db),
            shieldOverrides: try await EmergencyAccessReviews.queue(ShieldOverride.self, for: signedIn, on: req.db),
            nameProposals: try await NameProposals.queue(for: signedIn, on: req.db)
        ).render(PageContext(req)).response()
    }

    /// The latest assessment version's status per episode, in one query of three columns:
    /// every version's whole content, for up to 400 episodes, made the worktray the slowest
    /// page by far (issue 16).
    private func latestStatuses(of ids: [UUID], on db: any Database) async throws -> [UUID: AssessmentStatus] {
        guard !ids.isEmpty else { return [:] }
        var latest: [UUID: Assessment] = [:]
        for assessment in try await Assessment.query(on: db).filter(\.$episode.$id ~~ ids)
            .field(\.$episode.$id).field(\.$version).field(\.$status).all()
        {
            let id = assessment.$episode.id
            if (latest[id]?.version ?? 0) < assessment.version { latest[id] = assessment }
        }
        return latest.mapValues(\.status)
    }
}

extension WorktrayController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home.pattern, use: show)
    }
}
