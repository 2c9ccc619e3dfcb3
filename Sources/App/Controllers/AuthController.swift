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
                let enrolled = signedIn.practitioner.totpSecret != nil
                guard enrolled || req.application.twoFactorRequired else { return try await complete(signedIn, on: req) }
                TwoFactor.startPending(signedIn.id, on: req)
                return req.redirect(to: (enrolled ? SiteURL.signInCode : .twoFactor).path)
            }
            problems.append(.init(field: "email", message: "The e-mail address or password is not right"))
        }
        return SignInPage(email: email, problems: problems).render(PageContext(req)).response(.unprocessableEntity)
    }

    /// Signs in with a new session id, so a session fixed before sign-in is useless.
    func complete(_ signedIn: SignedIn, on req: Request) async throws -> Response {
        if let old = req.session.id { try await req.application.sessions.driver.deleteSession(old, for: req).get() }
        req.session.id = nil
        req.session.data = SessionData()
        SessionSignIn.start(signedIn, on: req)
        try await Audit.record(on: req.db, by: signedIn, .signIn, detail: "web")
        return req.redirect(to: SiteURL.home.path)
    }

    func showCode(req: Request) async throws -> Response {
        guard try await TwoFactor.pending(on: req)?.totpSecret != nil else { return req.redirect(to: SiteURL.signIn.path) }
        return SignInCodePage().render(PageContext(req)).response()
    }

    func checkCode(req: Request) async throws -> Response {
        guard let practitioner = try await TwoFactor.pending(on: req), practitioner.totpSecret != nil else {
            return req.redirect(to: SiteURL.signIn.path)
        }
        let code = FormFields(req)["code"]
        if try await TwoFactor.check(code, for: practitioner, channel: "web", on: req) {
            return try await complete(SignedIn(practitioner: practitioner, organisation: practitioner.organisation), on: req)
        }
        let problem = FieldProblem(
            field: "code", message: "The code is not right or has been used. Enter the newest 6-digit code from your app")
        return SignInCodePage(problems: [problem]).render(PageContext(req)).response(.unprocessableEntity)
    }

    /// Setting up two-factor sign-in: straight after a checked password when it is required,
    /// or at any time while signed in. The secret waits in the session until a code proves
    /// the person's app holds it.
    func showSetUp(req: Request) async throws -> Response {
        guard let practitioner = try await practitionerSettingUp(req) else { return req.redirect(to: SiteURL.signIn.path) }
        guard practitioner.totpSecret == nil else { return TwoFactorPage(done: true).render(PageContext(req)).response() }
        let secret = TOTP.newSecret()
        req.session.data["setUpSecret"] = Base32.encode(secret)
        return TwoFactorPage(email: practitioner.email, secret: secret).render(PageContext(req)).response()
    }

    func setUp(req: Request) async throws -> Response {
        guard let practitioner = try await practitionerSettingUp(req) else { return req.redirect(to: SiteURL.signIn.path) }
        guard practitioner.totpSecret == nil else { return req.redirect(to: SiteURL.home.path) }
        guard let secret = req.session.data["setUpSecret"].flatMap(Base32.decode) else {
            return req.redirect(to: SiteURL.twoFactor.path)
        }
        let code = FormFields(req)["code"]
        guard try await TwoFactor.enrol(secret: secret, code: code, for: practitioner, channel: "web", on: req) else {
            let problem = FieldProblem(field: "code", message: "The code is not right. Enter the 6-digit code your app shows now")
            return TwoFactorPage(email: practitioner.email, secret: secret, problems: [problem]).render(PageContext(req))
                .response(.unprocessableEntity)
        }
        req.session.data["setUpSecret"] = nil
        if req.auth.has(SignedIn.self) { return TwoFactorPage(done: true).render(PageContext(req)).response() }
        return try await complete(SignedIn(practitioner: practitioner, organisation: practitioner.organisation), on: req)
    }

    private func practitionerSettingUp(_ req: Request) async throws -> Practitioner? {
        if let signedIn = req.auth.get(SignedIn.self) { return signedIn.practitioner }
        return try await TwoFactor.pending(on: req)
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
