import CAFCore
import Vapor

/// LA administration over the API: the LA's organisations and accounts, never case content.
struct AdminAPIController {
    /// GET /api/v1/admin/accounts
    func list(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let pending = try await Administration.pendingRoles(
            in: try await Administration.authority(of: signedIn, on: req.db), on: req.db)
        return try AccountListDTO(
            practitioners: try await Administration.practitioners(by: signedIn, on: req.db).map {
                AccountDTO($0, pendingRoles: pending[$0.id!] ?? [])
            },
            organisations: try await Administration.organisations(by: signedIn, on: req.db).map(OrganisationDTO.init)
        ).json()
    }

    /// POST /api/v1/admin/organisations
    func createOrganisation(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(OrganisationRequest.self)
        let organisation = try await Administration.createOrganisation(
            name: body.name, agency: body.agencyType, by: try req.signedIn, on: req.db)
        return try OrganisationDTO(organisation).json(.created)
    }

    /// PATCH /api/v1/admin/organisations/{id}
    func updateOrganisation(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(OrganisationChangeRequest.self)
        let organisation = try await Administration.updateOrganisation(
            try req.id("organisation"), name: body.name, agency: body.agencyType, basedOn: try req.recordVersion(),
            by: try req.signedIn, on: req.db)
        let response = try OrganisationDTO(organisation).json()
        return response.tagged(organisation.version)
    }

    /// POST /api/v1/admin/practitioners
    func createPractitioner(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(PractitionerRequest.self)
        let practitioner = try await Administration.createPractitioner(
            .init(
                email: body.email, name: body.name, jobTitle: body.jobTitle ?? "", phone: body.phone ?? "",
                roles: Set(body.roles),
                organisationID: body.organisationId),
            by: try req.signedIn, on: req.application)
        return try await Self.account(practitioner, on: req).json(.created)
    }

    /// PATCH /api/v1/admin/practitioners/{id}: change, disable or enable an account, or
    /// reset its two-factor sign-in.
    func update(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(PractitionerChangeRequest.self)
        let change = Administration.AccountChange(
            name: body.name, jobTitle: body.jobTitle, phone: body.phone, roles: body.roles.map(Set.init),
            organisationID: body.organisationId, disabled: body.disabled, resetTwoFactor: body.resetTwoFactor ?? false,
            resendNewAccountLink: body.resendNewAccountLink ?? false)
        let practitioner = try await Administration.update(
            try req.id("practitioner"), change, basedOn: try req.recordVersion(), by: try req.signedIn,
            mail: req.application.mail, on: req.db)
        let response = try await Self.account(practitioner, on: req).json()
        return response.tagged(practitioner.version)
    }

    /// GET /api/v1/admin/role-grants: roles awaiting a second administrator.
    func roleGrants(req: Request) async throws -> Response {
        try RoleGrantQueueDTO(
            grants: try await Administration.roleGrants(by: try req.signedIn, on: req.db).map(RoleGrantDTO.init)
        ).json()
    }

    /// POST /api/v1/admin/role-grants/{id}/decision
    func decideRoleGrant(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(RoleGrantDecisionRequest.self)
        return try RoleGrantDTO(
            try await Administration.decideRoleGrant(
                try req.id("role grant"), approve: body.decision == .approved, note: body.note ?? "", by: try req.signedIn,
                on: req.db)
        ).json()
    }

    /// An account as the API shows it, with any roles awaiting a second administrator.
    static func account(_ practitioner: Practitioner, on req: Request) async throws -> AccountDTO {
        AccountDTO(practitioner, pendingRoles: try await Administration.pendingRoles(of: practitioner, on: req.db))
    }
}

extension AdminAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.adminAccounts.pattern, use: list)
        routes.post(APIURL.adminOrganisations.pattern, use: createOrganisation)
        routes.patch(APIURL.adminOrganisation(.pattern).pattern, use: updateOrganisation)
        routes.post(APIURL.adminPractitioners.pattern, use: createPractitioner)
        routes.patch(APIURL.adminPractitioner(.pattern).pattern, use: update)
        routes.get(APIURL.adminRoleGrants.pattern, use: roleGrants)
        routes.post(APIURL.adminRoleGrantDecision(.pattern).pattern, use: decideRoleGrant)
    }
}
