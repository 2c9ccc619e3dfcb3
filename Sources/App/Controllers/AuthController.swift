import CAFCore
import Vapor

/// Sign in and out of the pages (sessions); the API uses `AuthAPIController`.
struct AuthController {
    func show(req: Request) async throws -> Response {
        if req.auth.has(SignedIn.self) { return req.redirect(to: SiteURL.home.path) }
        return SignInPage().render(PageContext(req)).response()
    }

    func signIn(req: Request) async throws -> Response {
        let form = FormFields(req)
        let email = form["email"].trimmingCharacters(in: .whitespaces)
        var problems: [FieldProblem] = []
        if email.isEmpty { problems.append(.init(field: "email", message: "Enter your e-mail address")) }
        if form["password"].isEmpty { problems.append(.init(field: "password", message: "Enter your password")) }
        if problems.isEmpty {
            if let signedIn = try await Auth.verify(email: email, password: form["password"], channel: "web", on: req) {
                // A new session id at sign-in, so a session fixed before sign-in is useless.
                if let old = req.session.id { try await req.application.sessions.driver.deleteSession(old, for: req).get() }
                req.session.id = nil
                req.session.data = SessionData()
                SessionSignIn.start(signedIn, on: req)
                try await Audit.record(on: req.db, by: signedIn, .signIn, detail: "web")
                return req.redirect(to: SiteURL.home.path)
            }
            problems.append(.init(field: "email", message: "The e-mail address or password is not right"))
        }
        return SignInPage(email: email, problems: problems).render(PageContext(req)).response(.unprocessableEntity)
    }

    func signOut(req: Request) async throws -> Response {
        if let signedIn = req.auth.get(SignedIn.self) {
            try await Audit.record(on: req.db, by: signedIn, .signOut, detail: "web")
        }
        req.auth.logout(SignedIn.self)
        req.session.destroy()
        return req.redirect(to: SiteURL.signIn.path)
    }
}
