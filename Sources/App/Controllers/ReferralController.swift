import CAFCore
import Vapor

/// Step-up referrals, as children's social care see them.
struct ReferralController {
    func show(req: Request) async throws -> Response {
        try await page(req).render(PageContext(req)).response()
    }

    func decide(req: Request) async throws -> Response {
        let form = FormFields(req)
        let id = try req.id("referral")
        do {
            guard let decision = ReferralDecision(rawValue: form["decision"]), decision != .pending else {
                throw AppError.invalid(field: "decision", "Choose whether to accept or return the referral")
            }
            _ = try await Closures.decide(id, decision, reason: form["reason"], by: try req.signedIn, on: req.db)
            return req.redirect(to: SiteURL.referral(id).path)
        } catch let error as AppError where !error.problems.isEmpty {
            var page = try await page(req)
            page.problems = error.problems
            page.typed = form.values
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    private func page(_ req: Request) async throws -> ReferralPage {
        let (referral, authorised) = try await Closures.referral(try req.id("referral"), by: try req.signedIn, on: req.db)
        return ReferralPage(referral: referral, authorised: authorised)
    }
}

extension ReferralController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.referral(.pattern).pattern, use: show)
        routes.post(SiteURL.referral(.pattern).pattern, use: decide)
    }
}
