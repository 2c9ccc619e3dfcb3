import CAFCore
import Vapor

/// The LA administrator's pages.
struct AdminController {
    func show(req: Request) async throws -> Response {
        try await page(req).render(PageContext(req)).response()
    }

    func create(req: Request) async throws -> Response {
        let form = FormFields(req)
        let signedIn = try req.signedIn
        do {
            if form["kind"] == "organisation" {
                do {
                    _ = try await Administration.createOrganisation(
                        name: form["organisationName"], agency: AgencyType(rawValue: form["agencyType"]) ?? .other, by: signedIn,
                        on: req.db)
                } catch let error as AppError where !error.problems.isEmpty {
                    throw AppError.invalid(error.problems.map { FieldProblem(field: "organisationName", message: $0.message) })
                }
            } else {
                _ = try await Administration.createPractitioner(
                    .init(
                        email: form["email"], name: form["name"], jobTitle: form["jobTitle"], phone: form["phone"],
                        roles: Set(form.all("roles[]").compactMap(Role.init)),
                        organisationID: UUID(uuidString: form["organisationId"])),
                    by: signedIn, on: req.application)
            }
            var page = try await page(req)
            page.notice =
                form["kind"] == "organisation"
                ? "Organisation added" : "Account created: its holder has been e-mailed a link to choose a password"
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty {
            var page = try await page(req)
            page.problems = error.problems
            page.typed = form.values
            return page.render(PageContext(req)).response(.unprocessableEntity)
        }
    }

    func setStatus(req: Request) async throws -> Response {
        let form = FormFields(req)
        let disabled = form["disabled"] == "yes"
        do {
            let practitioner = try await Administration.update(
                try req.id("practitioner"), .init(disabled: disabled), basedOn: Int(form["version"]) ?? 0,
                by: try req.signedIn, mail: req.application.mail, on: req.db)
            var page = try await page(req)
            page.notice = "\(practitioner.name) is now \(disabled ? "disabled" : "enabled")"
            return page.render(PageContext(req)).response()
        } catch let error as AppError where error.status == .preconditionFailed {
            // Changed by another administrator since this list was shown: shown as it is now.
            var page = try await page(req)
            page.problems = [FieldProblem(field: "disabled", message: error.message)]
            return page.render(PageContext(req)).response(.conflict)
        }
    }

    func account(req: Request) async throws -> Response {
        try await accountPage(req).render(PageContext(req)).response()
    }

    func updateAccount(req: Request) async throws -> Response {
        let form = FormFields(req)
        let change = Administration.AccountChange(
            name: form["name"], jobTitle: form["jobTitle"], phone: form["phone"],
            roles: Set(form.all("roles[]").compactMap(Role.init)), organisationID: UUID(uuidString: form["organisationId"]),
            resetTwoFactor: form.all("resetTwoFactor").contains("yes"),
            resendNewAccountLink: form.all("resendNewAccountLink").contains("yes"))
        do {
            // A form without its version is treated as opened before the last change.
            _ = try await Administration.update(
                try req.id("practitioner"), change, basedOn: Int(form["version"]) ?? 0, by: try req.signedIn,
                mail: req.application.mail, on: req.db)
            var page = try await accountPage(req)
            page.notice = "Account saved"
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty || error.status == .preconditionFailed {
            // Shown as it is now, with what went wrong above it.
            var page = try await accountPage(req)
            page.problems = error.problems.isEmpty ? [FieldProblem(field: "name", message: error.message)] : error.problems
            return page.render(PageContext(req)).response(error.status == .preconditionFailed ? .conflict : error.status)
        }
    }

    func organisation(req: Request) async throws -> Response {
        try await organisationPage(req).render(PageContext(req)).response()
    }

    func updateOrganisation(req: Request) async throws -> Response {
        let form = FormFields(req)
        do {
            _ = try await Administration.updateOrganisation(
                try req.id("organisation"), name: form["name"], agency: AgencyType(rawValue: form["agencyType"]),
                basedOn: Int(form["version"]) ?? 0, by: try req.signedIn, on: req.db)
            var page = try await organisationPage(req)
            page.notice = "Organisation saved"
            return page.render(PageContext(req)).response()
        } catch let error as AppError where !error.problems.isEmpty || error.status == .preconditionFailed {
            // Shown as it is now, with what went wrong above it.
            var page = try await organisationPage(req)
            page.problems = error.problems.isEmpty ? [FieldProblem(field: "name", message: error.message)] : error.problems
            return page.render(PageContext(req)).response(error.status == .preconditionFailed ? .conflict : error.status)
        }
    }

    private func organisationPage(_ req: Request) async throws -> OrganisationPage {
        let id = try req.id("organisation")
        guard
            let organisation = try await Administration.organisations(by: try req.signedIn, on: req.db).first(where: {
                $0.id == id
            })
        else { throw AppError.notFound("organisation in your local authority") }
        return OrganisationPage(organisation: organisation)
    }

    private func accountPage(_ req: Request) async throws -> AccountPage {
        let signedIn = try req.signedIn
        let id = try req.id("practitioner")
        guard let practitioner = try await Administration.practitioners(by: signedIn, on: req.db).first(where: { $0.id == id })
        else { throw AppError.notFound("practitioner in your local authority") }
        return AccountPage(
            practitioner: practitioner, organisations: try await Administration.organisations(by: signedIn, on: req.db))
    }

    /// A second administrator approves or refuses roles another asked for.
    func decideRoleGrant(req: Request) async throws -> Response {
        let form = FormFields(req)
        guard let decision = ["approved", "refused"].first(where: { $0 == form["decision"] }) else {
            throw AppError.invalid(field: "decision", "Choose approve or refuse")
        }
        let grant = try await Administration.decideRoleGrant(
            try req.id("role grant"), approve: decision == "approved", note: form["note"], by: try req.signedIn, on: req.db)
        var page = try await page(req)
        page.notice = "Roles \(decision) for \(grant.practitioner.name)"
        return page.render(PageContext(req)).response()
    }

    private func page(_ req: Request) async throws -> AdminPage {
        let signedIn = try req.signedIn
        let grants = try await Administration.roleGrants(by: signedIn, on: req.db)
        return AdminPage(
            organisations: try await Administration.organisations(by: signedIn, on: req.db),
            practitioners: try await Administration.practitioners(by: signedIn, on: req.db),
            grants: grants,
            decidable: Set(
                grants.filter { Access.mayDecide($0, by: signedIn) }.map { $0.id! }))
    }
}

extension AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.admin.pattern, use: show)
        routes.post(SiteURL.admin.pattern, use: create)
        routes.post(SiteURL.adminDisable(.pattern).pattern, use: setStatus)
        routes.get(SiteURL.adminAccount(.pattern).pattern, use: account)
        routes.post(SiteURL.adminAccount(.pattern).pattern, use: updateAccount)
        routes.get(SiteURL.adminOrganisationPage(.pattern).pattern, use: organisation)
        routes.post(SiteURL.adminOrganisationPage(.pattern).pattern, use: updateOrganisation)
        routes.post(SiteURL.adminRoleGrant(.pattern).pattern, use: decideRoleGrant)
    }
}
