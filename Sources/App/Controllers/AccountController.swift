import CAFCore
import Vapor

/// A person's own credentials: the one-time links e-mailed to them (a new account, a
/// forgotten password, a reset second factor), asking for a forgotten-password link, and
/// changing their password while signed in. Nobody else ever sets or sees either.
struct AccountController {
    func showLink(req: Request) async throws -> Response {
        let token = (try? req.query.get(String.self, at: "token")) ?? ""
        guard let link = try await CredentialLinks.find(token, on: req.db), usable(link, req) else { return unusable(req) }
        return CredentialLinkPage(purpose: link.purpose, token: token, needsCode: needsCode(link), holder: link.practitioner)
            .render(PageContext(req)).response()
    }

    func useLink(req: Request) async throws -> Response {
        let form = FormFields(req)
        let token = form["token"]
        guard let link = try await CredentialLinks.find(token, on: req.db), usable(link, req) else { return unusable(req) }
        let practitioner = link.practitioner
        func refuse(_ problems: [FieldProblem]) -> Response {
            CredentialLinkPage(
                purpose: link.purpose, token: token, needsCode: needsCode(link), holder: link.practitioner, problems: problems
            )
            .render(PageContext(req)).response(.unprocessableEntity)
        }
        switch link.purpose {
        case .newAccount, .resetPassword:
            let problems = Self.newPasswordProblems(form, for: practitioner)
            guard problems.isEmpty else { return refuse(problems) }
            // The code last, as it is used up when right: a person whose new password was
            // refused should not need a second code.
            if needsCode(link), try await !TwoFactor.check(form["code"], for: practitioner, channel: "web reset", on: req) {
                return refuse([.init(field: "code", message: "The code is not right or has been used. Enter the newest code")])
            }
            let hash = try await Passwords.hash(form["newPassword"], pepper: try req.pepper)
            guard
                try await Credentials.setPassword(hash, for: practitioner, using: link, mail: req.application.mail, on: req.db)
            else {
                return unusable(req)
            }
            try await AuthController.renewSession(req)
            if link.purpose == .newAccount {
                TwoFactor.startPending(practitioner.id!, setUp: .firstSignIn, on: req)
                return req.redirect(to: SiteURL.twoFactor.path)
            }
            return req.redirect(to: SiteURL.signIn.path + "?changed=password")
        case .resetTwoFactor:
            guard
                try await Auth.verify(email: practitioner.email, password: form["password"], channel: "web link", on: req)?.id
                    == practitioner.id
            else { return refuse([.init(field: "password", message: "The password is not right")]) }
            // The link is used up only when the new second factor is set up (`TwoFactor.enrol`):
            // until then the reset still waits, whatever happens to this session.
            try await AuthController.renewSession(req)
            TwoFactor.startPending(practitioner.id!, setUp: .link(link.id!), on: req)
            return req.redirect(to: SiteURL.twoFactor.path)
        }
    }

    func showForgotten(req: Request) async throws -> Response {
        ForgotPasswordPage().render(PageContext(req)).response()
    }

    /// The same answer whether or not the address has an account, so nobody learns who does.
    func sendForgotten(req: Request) async throws -> Response {
        let email = FormFields(req)["email"].trimmingCharacters(in: .whitespaces).lowercased()
        guard !email.isEmpty else {
            return ForgotPasswordPage(problems: [.init(field: "email", message: "Enter your e-mail address")])
                .render(PageContext(req)).response(.unprocessableEntity)
        }
        // A turn from the throttle, like a sign-in: the form cannot be used to flood the
        // audit log or someone's inbox.
        do {
            try await Auth.takeTurn(String(email.prefix(254)), channel: "web reset request", on: req)
        } catch let error as AppError where error.status == .tooManyRequests {
            return AuthController.waitPage(
                ForgotPasswordPage(problems: [.init(field: "email", message: error.message)]).render(PageContext(req)), error)
        }
        try await Credentials.sendResetLink(
            to: email, mail: req.application.mail, twoFactorRequired: req.application.twoFactorRequired, on: req.db)
        return ForgotPasswordPage(sent: true).render(PageContext(req)).response()
    }

    func showChange(req: Request) async throws -> Response {
        let practitioner = try req.signedIn.practitioner
        return ChangePasswordPage(needsCode: practitioner.totpSecret != nil, holder: practitioner).render(PageContext(req))
            .response()
    }

    /// A signed-in person changes their own password: the current one and, when they have
    /// two-factor sign-in, a code. Every other session and token of theirs ends.
    func change(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let practitioner = signedIn.practitioner
        let form = FormFields(req)
        let needsCode = practitioner.totpSecret != nil
        func refuse(_ problems: [FieldProblem]) -> Response {
            ChangePasswordPage(needsCode: needsCode, holder: practitioner, problems: problems).render(PageContext(req))
                .response(.unprocessableEntity)
        }
        // The new password's own problems first: fixing them spends no sign-in turn.
        let problems = Self.newPasswordProblems(form, for: practitioner)
        guard problems.isEmpty else { return refuse(problems) }
        if try await Auth.verify(email: practitioner.email, password: form["currentPassword"], channel: "web change", on: req)
            == nil
        {
            return refuse([.init(field: "currentPassword", message: "Your current password is not right")])
        }
        if needsCode, try await !TwoFactor.check(form["code"], for: practitioner, channel: "web change", on: req) {
            return refuse([.init(field: "code", message: "The code is not right or has been used. Enter the newest code")])
        }
        let hash = try await Passwords.hash(form["newPassword"], pepper: try req.pepper)
        _ = try await Credentials.setPassword(hash, for: practitioner, using: nil, mail: req.application.mail, on: req.db)
        try await AuthController.renewSession(req)
        SessionSignIn.start(signedIn, on: req)
        return ChangePasswordPage(needsCode: needsCode, holder: practitioner, notice: "Your password has been changed").render(
            PageContext(req)
        )
        .response()
    }

    func showSessions(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        return SessionsPage(
            entries: try await SessionList.entries(of: signedIn, on: req.db), needsCode: signedIn.practitioner.totpSecret != nil
        ).render(PageContext(req)).response()
    }

    /// Ends one of the person's other sessions or tokens, or all of them, once they have
    /// entered their password again (and a code, with two-factor sign-in).
    func endSessions(req: Request) async throws -> Response {
        let signedIn = try req.signedIn
        let practitioner = signedIn.practitioner
        let form = FormFields(req)
        let needsCode = practitioner.totpSecret != nil
        func page(_ problems: [FieldProblem] = [], notice: String? = nil) async throws -> Response {
            SessionsPage(
                entries: try await SessionList.entries(of: signedIn, on: req.db), needsCode: needsCode,
                which: problems.isEmpty ? "" : form["which"], problems: problems, notice: notice
            ).render(PageContext(req)).response(problems.isEmpty ? .ok : .unprocessableEntity)
        }
        let ending: SessionList.Ending
        if form["which"] == "all" {
            ending = .allOthers
        } else if let id = UUID(uuidString: form["which"]) {
            ending = .one(id)
        } else {
            return try await page([.init(field: "which", message: "Choose where to sign out")])
        }
        if let problem = try await TwoFactor.reauthenticate(practitioner, form, channel: "web sessions", on: req) {
            return try await page([problem])
        }
        do {
            let ended = try await SessionList.end(ending, by: signedIn, on: req.db)
            return try await page(notice: ended == 1 ? "Signed out of 1 place" : "Signed out of \(ended) places")
        } catch let error as AppError where !error.problems.isEmpty {
            return try await page(error.problems)
        }
    }

    // MARK: helpers

    private func usable(_ link: CredentialLink, _ req: Request) -> Bool {
        link.purpose != .resetPassword
            || Credentials.mayResetByMail(link.practitioner, twoFactorRequired: req.application.twoFactorRequired)
    }

    private func needsCode(_ link: CredentialLink) -> Bool {
        link.purpose == .resetPassword && link.practitioner.totpSecret != nil
    }

    private func unusable(_ req: Request) -> Response {
        LinkUnusablePage().render(PageContext(req)).response(.gone)
    }

    static func newPasswordProblems(_ form: FormFields, for practitioner: Practitioner) -> [FieldProblem] {
        var problems = PasswordPolicy.problems(form["newPassword"], email: practitioner.email, name: practitioner.name)
            .map { FieldProblem(field: "newPassword", message: $0.message) }
        if problems.isEmpty && form["newPassword"] != form["confirmPassword"] {
            problems.append(.init(field: "confirmPassword", message: "Type the same new password twice"))
        }
        return problems
    }
}

extension AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.signedInPages
        routes.get(SiteURL.credentialLink.pattern, use: showLink)
        routes.post(SiteURL.credentialLink.pattern, use: useLink)
        routes.get(SiteURL.forgotPassword.pattern, use: showForgotten)
        routes.post(SiteURL.forgotPassword.pattern, use: sendForgotten)
        signedIn.get(SiteURL.changePassword.pattern, use: showChange)
        signedIn.post(SiteURL.changePassword.pattern, use: change)
        signedIn.get(SiteURL.sessions.pattern, use: showSessions)
        signedIn.post(SiteURL.sessions.pattern, use: endSessions)
    }
}
