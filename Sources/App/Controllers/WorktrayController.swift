import CAFCore
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
        // Each list's first page; the worktray links to the rest.
        var lists: [WorktrayList: WorktrayRows] = [:]
        for list in WorktrayList.allCases where Self.shows(list, to: reach) {
            lists[list] = try await WorktrayRows.read(list, reading: .glimpse, for: signedIn, on: req.db)
        }
        let meetings = try await Teams.meetingsToAttend(for: signedIn, on: req.db)
        let requests = try await AccessRequests.pending(for: signedIn, on: req.db)
        let children = meetings.map(\.episode.child) + requests.map(\.episode.child)
        return WorktrayPage(
            signedIn: signedIn,
            lists: lists,
            referrals: try await Closures.pendingReferrals(for: signedIn, on: req.db),
            meetings: meetings,
            shields: try await Shielding.shields(for: children, to: signedIn, on: req.db),
            accessRequests: requests,
            breakGlass: try await EmergencyAccessReviews.queue(BreakGlassGrant.self, for: signedIn, on: req.db),
            shieldOverrides: try await EmergencyAccessReviews.queue(ShieldOverride.self, for: signedIn, on: req.db),
            nameProposals: try await NameProposals.queue(for: signedIn, on: req.db)
        ).render(PageContext(req)).response()
    }

    /// GET /worktray/{list}?page=N: one whole list, a page at a time.
    func list(req: Request) async throws -> Response {
        guard let list = req.parameters.get("list").flatMap(WorktrayList.init(rawValue:)) else {
            throw AppError.notFound("list")
        }
        let page = try ListPage(req)
        let rows = try await WorktrayRows.read(list, reading: .page(page), for: try req.signedIn, on: req.db)
        return WorktrayListPage(list: list, rows: rows).render(PageContext(req)).response()
    }

    /// The lists a worktray shows this person: what the policy says they hold or oversee.
    /// (Each list's own query refuses, audited, anyone it is not for: `list` relies on it.)
    private static func shows(_ list: WorktrayList, to reach: Reach) -> Bool {
        switch list {
        case .localAuthority, .needingALead: reach.coordinates != nil
        case .safeguardingCalls: reach.safeguards != nil
        case .episodes, .drafts, .actionsDue, .reviewsDue, .followUps: true
        }
    }
}

extension WorktrayController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home.pattern, use: show)
        routes.get(SiteURL.worktrayList(nil).pattern, use: list)
    }
}
