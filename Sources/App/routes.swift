import Fluent
import Vapor

func routes(_ app: Application) throws {
    Assets.register(on: app)
    app.get(SiteURL.health.pattern) { _ in "ok" }
    app.get(SiteURL.ready.pattern) { req async throws -> String in
        do {
            try await Readiness.check(req.db)
        } catch {
            throw AppError(status: .serviceUnavailable, code: "not-ready", message: "The database does not answer")
        }
        return "ready"
    }

    // Pages: sessions, CSRF on every POST, sign-in required except for signing in and the
    // links and forms that lead to it. Each area's routes are in its controller's `boot`.
    let pages = app.grouped(
        ClearEndedSessionCookie(), app.sessions.middleware, SessionSignIn(), CSRFMiddleware(), FormBoundsMiddleware())
    try pages.register(collection: AuthController())
    try pages.register(collection: AccountController())
    try pages.register(collection: SecurityKeyController())
    let signedIn = pages.signedInPages
    let areas: [any RouteCollection] = [
        WorktrayController(), ChildController(), InvolvementController(), SafeguardingController(), EpisodeController(),
        AccessRequestController(), ReferralController(), TeamController(), PlanController(), MeasuresController(),
        AdminController(),
    ]
    for area in areas { try signedIn.register(collection: area) }

    // The JSON API: bearer tokens, no sessions; every request held to the API document.
    app.grouped(ContractMiddleware()).post(APIURL.token.pattern, use: AuthAPIController().createToken)
    app.get(APIURL.openAPI.pattern) { _ in OpenAPIDocument.response() }
    let api = app.grouped(BearerSignIn(), RequireSignIn(api: true), CountRequests(), ContractMiddleware())
    let apiAreas: [any RouteCollection] = [
        AuthAPIController(), ChildrenAPIController(), SafeguardingAPIController(), EpisodesAPIController(),
        TeamAPIController(), PlanAPIController(), AdminAPIController(), AuditAPIController(), MeasuresAPIController(),
    ]
    for area in apiAreas { try api.register(collection: area) }
}

enum Readiness {
    /// A trivial query proves the database answers.
    static func check(_ db: any Database) async throws {
        _ = try await LocalAuthority.query(on: db).count()
    }
}
