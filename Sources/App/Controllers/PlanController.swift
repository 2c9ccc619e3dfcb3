import CAFCore
import Vapor

/// The action plan pages.
struct PlanController {
    func show(req: Request) async throws -> Response {
        try await page(req, episodeID: try req.id("episode")).render(PageContext(req)).response()
    }

    func add(req: Request) async throws -> Response {
        let form = FormFields(req)
        let id = try req.id("episode")
        // The owner is chosen by id, so the page never carries a team member's e-mail address.
        let planned = PlannedAction(
            description: form["description"], elementCodes: form.all("elementCodes[]"),
            ownerEmail: try await Teams.practitioner(form["ownerId"], on: req.db)?.email ?? "",
            ownerAgency: form["ownerAgency"],
            dueOn: CalendarDate.fromParts(day: form["dueOn-day"], month: form["dueOn-month"], year: form["dueOn-year"]) ?? "")
        return try await respond(req, episodeID: id, form: form, notice: "Action added") { signedIn in
            _ = try await ActionPlans.add(planned, to: id, by: signedIn, on: req.db)
        }
    }

    func setReview(req: Request) async throws -> Response {
        let form = FormFields(req)
        let id = try req.id("episode")
        let date =
            CalendarDate.fromParts(day: form["reviewOn-day"], month: form["reviewOn-month"], year: form["reviewOn-year"]) ?? ""
        return try await respond(req, episodeID: id, form: form, notice: "Review date saved") { signedIn in
            do {
                try await ActionPlans.setReview(
                    of: id, on: date, basedOn: Int(form["reviewVersion"]) ?? 0, by: signedIn, on: req.db)
            } catch let stale as AppError where stale.status == .preconditionFailed {
                // Shown above the date as it is set now, with what was typed kept to send again.
                throw AppError(
                    status: .conflict, code: stale.code, message: stale.message,
                    problems: [FieldProblem(field: "reviewOn", message: stale.message)])
            }
        }
    }

    func update(req: Request) async throws -> Response {
        let form = FormFields(req)
        let actionID = try req.id("action")
        let episodeID = try await ActionPlans.episode(of: actionID, on: req.db)
        let key = actionID.uuidString.lowercased()
        return try await respond(req, episodeID: episodeID, form: form, notice: "Progress saved") { signedIn in
            guard let status = ActionStatus(rawValue: form["status.\(key)"]) else {
                throw AppError.invalid(field: "status.\(key)", "Choose the action’s progress")
            }
            do {
                _ = try await ActionPlans.update(
                    actionID, of: episodeID, status: status, outcomeNote: form["outcomeNote.\(key)"],
                    basedOn: Int(form["version.\(key)"]) ?? 0, by: signedIn, on: req.db)
            } catch let stale as AppError where stale.status == .preconditionFailed {
                // Shown beside the action, with what was typed kept for sending again.
                throw AppError(
                    status: .conflict, code: stale.code, message: stale.message,
                    problems: [FieldProblem(field: "status.\(key)", message: stale.message)])
            }
        }
    }

    private func respond(
        _ req: Request, episodeID: UUID, form: FormFields, notice: String, _ change: (SignedIn) async throws -> Void
    ) async throws -> Response {
        do {
            try await change(try req.signedIn)
            var page = try await page(req, episodeID: episodeID)
            page.notice = notice
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty {
            var page = try await page(req, episodeID: episodeID)
            page.problems = error.problems
            page.typed = form.values
            // A form keeps the version it was opened at through any other problem, so a change
            // made meanwhile is still caught; shown that change, it is sent again on the version now.
            if error.status == .conflict {
                page.typed = page.typed.filter { !$0.key.hasPrefix("version.") && $0.key != "reviewVersion" }
            }
            return page.render(PageContext(req)).response(error.status)
        }
    }

    private func page(_ req: Request, episodeID: UUID) async throws -> PlanPage {
        let signedIn = try req.signedIn
        let (authorised, assessment) = try await Episodes.read(episodeID, by: signedIn, on: req.db)
        let content = try assessment.content(try req.secrets)
        return PlanPage(
            authorised: authorised, actions: try await ActionPlans.actions(of: episodeID, on: req.db),
            practitioners: Teams.teamPractitioners(authorised.episode),
            needs: CAFForm.elements.filter { (content.element($0.code).level?.number ?? 0) >= 2 },
            mayPlan: Access.may(.coordinate, authorised, by: signedIn),
            actorID: signedIn.id)
    }
}

extension PlanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.plan(.pattern).pattern, use: show)
        routes.post(SiteURL.planActions(.pattern).pattern, use: add)
        routes.post(SiteURL.planReview(.pattern).pattern, use: setReview)
        routes.post(SiteURL.action(.pattern).pattern, use: update)
    }
}
