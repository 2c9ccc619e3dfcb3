import CAFCore
import OneTimePasswords
import Plot
import Vapor

/// Sign in and out of the pages (sessions); the API uses `AuthAPIController`.
struct AuthController {
    func show(req: Request) async throws -> Response {
        if req.auth.has(SignedIn.self) { return req.redirect(to: SiteURL.home.path) }
        let changed = (try? req.query.get(String.self, at: "changed")) == "password"
        return SignInPage(notice: changed ? "Your password has been changed. Sign in with it." : nil).render(PageContext(req))
            .response()
    }

    func signIn(req: Request) async throws -> Response {
        let form = FormFields(req)
        let email = form["email"].trimmingCharacters(in: .whitespaces)
        var problems: [FieldProblem] = []
        if email.isEmpty { problems.append(.init(field: "email", message: "Enter your e-mail address")) }
        if form["password"].isEmpty { problems.append(.init(field: "password", message: "Enter your password")) }
        if problems.isEmpty {
            let verified: SignedIn?
            do {
                verified = try await Auth.verify(email: email, password: form["password"], channel: "web", on: req)
            } catch let error as AppError where error.status == .tooManyRequests {
                return Self.waitPage(
                    SignInPage(email: email, problems: [.init(field: "email", message: error.message)]).render(PageContext(req)),
                    error)
            }
            if let signedIn = verified {
                let enrolled = signedIn.practitioner.hasSecondFactor
                guard enrolled || req.application.twoFactorRequired else { return try await complete(signedIn, on: req) }
                // A second factor reset by an administrator is set up again only through the
                // link e-mailed to its holder: the password alone is not enough.
                if !enrolled, TwoFactor.awaitsResetLink(signedIn.practitioner) {
                    problems.append(
                        .init(
                            field: "email",
                            message:
                                "Your two-factor sign-in was reset: use the link eCAF e-mailed you, or ask your administrator for a new one"
                        ))
                    return SignInPage(email: email, problems: problems).render(PageContext(req)).response(.unprocessableEntity)
                }
                // The password is right: a new session id, so one fixed before this is useless.
                try await Self.renewSession(req)
                TwoFactor.startPending(signedIn.id, setUp: enrolled ? nil : .firstSignIn, on: req)
                return req.redirect(to: (enrolled ? SiteURL.signInCode : .twoFactor).path)
            }
            problems.append(.init(field: "email", message: "The e-mail address or password is not right"))
        }
        return SignInPage(email: email, problems: problems).render(PageContext(req)).response(.unprocessableEntity)
    }

    /// Signs in with a new session id, so a session fixed before sign-in is useless.
    func complete(_ signedIn: SignedIn, on req: Request, detail: String = "web") async throws -> Response {
        try await Self.renewSession(req)
        SessionSignIn.start(signedIn, on: req)
        try await Audit.record(on: req.db, by: signedIn, .signIn, detail: detail)
        return req.redirect(to: SiteURL.home.path)
    }

    /// The form again, saying how long to wait, with 429 and Retry-After.
    static func waitPage(_ page: HTML, _ error: AppError) -> Response {
        let response = page.response(.tooManyRequests)
        response.headers.add(contentsOf: error.headers)
        return response
    }

    /// Ends the session this browser had and starts an empty one under a new id: at each
    /// step of signing in, so an id known before a step is worth nothing after it.
    static func renewSession(_ req: Request) async throws {
        if let old = req.session.id { try await req.application.sessions.driver.deleteSession(old, for: req).get() }
        req.session.id = nil
        req.session.data = SessionData()
    }

    /// The second step: the person's security key when they have one (a code is then not
    /// asked for, so a phishing page that relays codes gets nowhere), else their app's code.
    func showCode(req: Request) async throws -> Response {
        guard let practitioner = try await TwoFactor.pending(on: req) else { return req.redirect(to: SiteURL.signIn.path) }
        let keys = try await SecurityKeys.keys(of: try practitioner.requireID(), on: req.db)
        if !keys.isEmpty {
            let prompt = SecurityKeyController.signInPrompt(for: try practitioner.requireID(), keys: keys, on: req)
            return SignInCodePage(securityKey: prompt).render(PageContext(req)).response()
        }
        guard practitioner.totpSecret != nil else { return req.redirect(to: SiteURL.signIn.path) }
        return SignInCodePage().render(PageContext(req)).response()
    }

    func checkCode(req: Request) async throws -> Response {
        guard let practitioner = try await TwoFactor.pending(on: req), practitioner.totpSecret != nil else {
            return req.redirect(to: SiteURL.signIn.path)
        }
        // A code is not taken from someone with a security key: the key is asked for instead.
        if practitioner.hasSecurityKeys {
            try await Audit.record(
                on: req.db, by: nil, email: practitioner.email, .signInFailed, outcome: .denied,
                detail: "web code, a security key is required")
            return req.redirect(to: SiteURL.signInCode.path)
        }
        let code = FormFields(req)["code"]
        let accepted: Bool
        do {
            accepted = try await TwoFactor.check(code, for: practitioner, channel: "web", on: req)
        } catch let error as AppError where error.status == .tooManyRequests {
            return Self.waitPage(
                SignInCodePage(problems: [.init(field: "code", message: error.message)]).render(PageContext(req)), error)
        }
        if accepted {
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
        guard let (practitioner, _) = try await practitionerSettingUp(req) else {
            return req.redirect(to: SiteURL.signIn.path)
        }
        guard practitioner.totpSecret == nil else { return TwoFactorPage(done: true).render(PageContext(req)).response() }
        let secret = TOTP.newSecret()
        // Sealed in the session row too: a copy of the database holds no factor to come.
        req.session.data["setUpSecret"] = try TwoFactor.sealForSetUp(secret, of: practitioner, keys: try req.secrets)
        return TwoFactorPage(email: practitioner.email, secret: secret).render(PageContext(req)).response()
    }

    func setUp(req: Request) async throws -> Response {
        guard let (practitioner, permit) = try await practitionerSettingUp(req) else {
            return req.redirect(to: SiteURL.signIn.path)
        }
        guard practitioner.totpSecret == nil else { return req.redirect(to: SiteURL.home.path) }
        guard let sealed = req.session.data["setUpSecret"],
            let secret = TwoFactor.openSetUp(sealed, of: practitioner, keys: try req.secrets)
        else {
            return req.redirect(to: SiteURL.twoFactor.path)
        }
        let code = FormFields(req)["code"]
        var link: UUID? = nil
        if case .link(let id) = permit { link = id }
        guard try await TwoFactor.enrol(secret: secret, code: code, for: practitioner, channel: "web", usingLink: link, on: req)
        else {
            let problem = FieldProblem(field: "code", message: "The code is not right. Enter the 6-digit code your app shows now")
            return TwoFactorPage(email: practitioner.email, secret: secret, problems: [problem]).render(PageContext(req))
                .response(.unprocessableEntity)
        }
        req.session.data["setUpSecret"] = nil
        if req.auth.has(SignedIn.self) { return TwoFactorPage(done: true).render(PageContext(req)).response() }
        return try await complete(SignedIn(practitioner: practitioner, organisation: practitioner.organisation), on: req)
    }

    /// Who is setting up a second factor: the signed-in person, or a waiting session whose
    /// permit allows it (a first sign-in, or a reset link followed).
    private func practitionerSettingUp(_ req: Request) async throws -> (Practitioner, TwoFactor.SetUpPermit?)? {
        if let signedIn = req.auth.get(SignedIn.self) { return (signedIn.practitioner, nil) }
        guard let practitioner = try await TwoFactor.pending(on: req),
            let permit = try await TwoFactor.setUpPermit(for: practitioner, on: req)
        else { return nil }
        return (practitioner, permit)
    }

    func signOut(req: Request) async throws -> Response {
        if let signedIn = req.auth.get(SignedIn.self) {
            try await Audit.record(on: req.db, by: signedIn, .signOut, detail: "web")
        }
        req.auth.logout(SignedIn.self)
        req.session.destroy()
        let response = req.redirect(to: SiteURL.signIn.path)
        // The browser forgets this site's storage and cached pages (ASVS V8.2.3); the session
        // cookie goes by its own clearing cookie (`ClearEndedSessionCookie`). Not "cookies":
        // that clears every cookie of the registrable domain, a council's other services too.
        response.headers.replaceOrAdd(name: "Clear-Site-Data", value: #""cache", "storage""#)
        return response
    }
}

extension AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.signIn.pattern, use: show)
        routes.post(SiteURL.signIn.pattern, use: signIn)
        routes.get(SiteURL.signInCode.pattern, use: showCode)
        routes.post(SiteURL.signInCode.pattern, use: checkCode)
        routes.get(SiteURL.twoFactor.pattern, use: showSetUp)
        routes.post(SiteURL.twoFactor.pattern, use: setUp)
        routes.post(SiteURL.signOut.pattern, use: signOut)
    }
}
